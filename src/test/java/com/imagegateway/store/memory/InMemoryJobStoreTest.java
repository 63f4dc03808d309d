package com.imagegateway.store.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.imagegateway.MutableClock;
import com.imagegateway.images.Job;
import com.imagegateway.images.JobStatus;
import com.imagegateway.images.JobStore;
import com.imagegateway.store.StorePropertiesFixture;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryJobStoreTest {

	private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	private final MutableClock clock = new MutableClock(START);

	@Test
	void forgetsJobsOnceTheRetentionHasPassedSinceTheyWereStored() {
		InMemoryJobStore store = store(100, Duration.ofDays(7));
		store.save(job("a", "team", JobStatus.SUCCEEDED, START)).block();

		this.clock.advance(Duration.ofDays(7).minusSeconds(1));
		assertThat(store.find("a").block()).isNotNull();

		this.clock.advance(Duration.ofSeconds(2));
		assertThat(store.find("a").block()).isNull();
		assertThat(store.list("team", null, null, 10).block().jobs()).isEmpty();
	}

	@Test
	void updatesDoNotExtendAJobsRetention() {
		InMemoryJobStore store = store(100, Duration.ofDays(7));
		store.save(job("a", "team", JobStatus.STARTING, START)).block();
		this.clock.advance(Duration.ofDays(6));
		store.save(job("a", "team", JobStatus.SUCCEEDED, START)).block();

		this.clock.advance(Duration.ofDays(1).plusSeconds(1));
		assertThat(store.find("a").block()).isNull();
	}

	@Test
	void keepsAtMostMaxJobsAndListsOnlyThoseKept() {
		InMemoryJobStore store = store(3, Duration.ofDays(7));
		for (int i = 0; i < 10; i++) {
			store.save(job("job" + i, "team", JobStatus.STARTING, START.plusSeconds(i))).block();
		}

		List<Job> listed = store.list("team", null, null, 100).block().jobs();
		assertThat(listed).hasSizeLessThanOrEqualTo(3);
		assertThat(listed).allSatisfy((job) -> assertThat(store.find(job.id()).block()).isNotNull());
	}

	@Test
	void neverReplacesAFinishedJobWithALateRunningState() {
		InMemoryJobStore store = store(100, Duration.ofDays(7));
		store.save(job("a", "team", JobStatus.SUCCEEDED, START)).block();

		JobStore.Saved stored = store.save(job("a", "team", JobStatus.PROCESSING, START)).block();

		assertThat(stored.job().status()).isEqualTo(JobStatus.SUCCEEDED);
		assertThat(stored.finishedNow()).isFalse();
		assertThat(store.find("a").block().status()).isEqualTo(JobStatus.SUCCEEDED);
	}

	@Test
	void listsAClientsJobsNewestFirstFilteredAndPaged() {
		InMemoryJobStore store = storeWith(job("old", "team", JobStatus.SUCCEEDED, START),
				job("mid", "team", JobStatus.FAILED, START.plusSeconds(1)),
				job("new", "team", JobStatus.SUCCEEDED, START.plusSeconds(2)),
				job("other", "other-team", JobStatus.SUCCEEDED, START.plusSeconds(3)));

		JobStore.JobPage first = store.list("team", null, null, 2).block();
		assertThat(first.jobs()).extracting(Job::id).containsExactly("new", "mid");
		JobStore.JobPage second = store.list("team", null, first.next(), 2).block();
		assertThat(second.jobs()).extracting(Job::id).containsExactly("old");
		assertThat(second.next()).isNull();
		assertThat(store.list("team", JobStatus.SUCCEEDED, null, 10).block().jobs()).extracting(Job::id)
			.containsExactly("new", "old");
	}

	@Test
	void offersTheSweepSettledJobsWithTheirImagesOldestFirstUntilTheirDataIsRemoved() {
		InMemoryJobStore store = storeWith(job("running", "team", JobStatus.PROCESSING, START),
				job("newer", "team", JobStatus.FAILED, START.plusSeconds(2)),
				job("older", "other-team", JobStatus.SUCCEEDED, START.plusSeconds(1)),
				job("late", "team", JobStatus.SUCCEEDED, START.plusSeconds(10)));

		assertThat(store.keptBefore(START.plusSeconds(10), 10).map(Job::id).collectList().block())
			.containsExactly("older", "newer");
		assertThat(store.keptBefore(START.plusSeconds(10), 1).map(Job::id).collectList().block())
			.containsExactly("older");

		Job older = store.find("older").block();
		store
			.save(new Job(older.id(), older.client(), older.upstream(), older.model(), null, older.status(), "",
					List.of(), null, null, null, older.createdAt(), null, null, null, null, List.of(), true, null, null,
					null))
			.block();
		assertThat(store.keptBefore(START.plusSeconds(10), 10).map(Job::id).collectList().block())
			.containsExactly("newer");

		this.clock.advance(Duration.ofDays(7).plusSeconds(3));
		assertThat(store.keptBefore(START.plusSeconds(11), 10).map(Job::id).collectList().block())
			.as("jobs gone with the retention leave the sweep's index")
			.isEmpty();
	}

	private InMemoryJobStore storeWith(Job... jobs) {
		InMemoryJobStore store = store(100, Duration.ofDays(7));
		for (Job job : jobs) {
			store.save(job).block();
		}
		return store;
	}

	private InMemoryJobStore store(int maxJobs, Duration retention) {
		return new InMemoryJobStore(StorePropertiesFixture.memory(retention, maxJobs), this.clock,
				new InMemoryWorkQueue(), new InMemoryUsageLedger(this.clock, Duration.ofDays(400)));
	}

	private static Job job(String id, String client, JobStatus status, Instant createdAt) {
		return new Job(id, client, "default", "a/b", null, status, "prompt", List.of(), null, null, null, createdAt,
				null, null, null, null, null, false, null, null, null);
	}

}
