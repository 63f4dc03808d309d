package com.imagegateway.store.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.imagegateway.MutableClock;
import com.imagegateway.store.StorePropertiesFixture;

import static com.imagegateway.Concurrently.CONCURRENTLY;
import static org.assertj.core.api.Assertions.assertThat;

class InMemoryIdempotencyStoreTest {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(
			StorePropertiesFixture.memory(Duration.ofDays(7), 100), this.clock);

	@Test
	void exactlyOneOfManyConcurrentClaimsWins() {
		long winners = IntStream.range(0, 32)
			.mapToObj((i) -> CompletableFuture.supplyAsync(() -> this.store.claim("team", "k", "fp").block(),
					CONCURRENTLY))
			.toList()
			.stream()
			.map(CompletableFuture::join)
			.filter((existing) -> existing == null)
			.count();
		assertThat(winners).isEqualTo(1);
	}

	@Test
	void aCompletedKeyReplaysForTwentyFourHours() {
		this.store.claim("team", "k", "fp").block();
		this.store.complete("team", "k", "job-1").block();

		this.clock.advance(Duration.ofHours(24).minusSeconds(1));
		assertThat(this.store.claim("team", "k", "fp").block().jobId()).isEqualTo("job-1");

		this.clock.advance(Duration.ofSeconds(2));
		assertThat(this.store.claim("team", "k", "fp").block()).isNull();
	}

	@Test
	void aClaimNeverCompletedIsFreedAfterTheClaimTimeout() {
		this.store.claim("team", "k", "fp").block();

		this.clock.advance(Duration.ofSeconds(91));
		assertThat(this.store.claim("team", "k", "fp").block()).isNull();
	}

	@Test
	void keysAreScopedToTheClient() {
		this.store.claim("team-a", "k", "fp").block();
		assertThat(this.store.claim("team-b", "k", "fp").block()).isNull();
	}

	@Test
	void releasingAClaimLetsTheNextRequestClaimButNeverForgetsACompletedKey() {
		this.store.claim("team", "k", "fp").block();
		this.store.release("team", "k").block();
		assertThat(this.store.claim("team", "k", "fp").block()).isNull();

		this.store.complete("team", "k", "job-1").block();
		this.store.release("team", "k").block();
		assertThat(this.store.find("team", "k").block().jobId()).isEqualTo("job-1");
	}

}
