package com.imagegateway.store.memory;

import java.time.Clock;
import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import reactor.core.publisher.Mono;

import com.imagegateway.images.IdempotencyStore;
import com.imagegateway.store.StoreProperties;

/**
 * Idempotency keys in this process's memory. A claim lives for the claim timeout; a
 * completed key for the idempotency TTL.
 */
class InMemoryIdempotencyStore implements IdempotencyStore {

	private final Cache<String, IdempotencyRecord> records;

	private final Duration claimTimeout;

	InMemoryIdempotencyStore(StoreProperties properties, Clock clock) {
		this.claimTimeout = properties.idempotencyClaimTimeout();
		this.records = Caffeine.newBuilder()
			.maximumSize(properties.maxIdempotencyKeys())
			.expireAfter(new ExpireByState(properties.idempotencyClaimTimeout(), properties.idempotencyTtl()))
			.ticker(new ClockTicker(clock))
			.executor(Runnable::run)
			.build();
	}

	@Override
	public Mono<IdempotencyRecord> claim(String client, String key, String fingerprint) {
		return Mono.fromSupplier(() -> {
			IdempotencyRecord existing = this.records.asMap()
				.putIfAbsent(scoped(client, key), new IdempotencyRecord(fingerprint, null));
			return existing;
		});
	}

	@Override
	public Mono<Void> complete(String client, String key, String jobId) {
		return Mono.fromRunnable(() -> this.records.asMap()
			.computeIfPresent(scoped(client, key),
					(k, claimed) -> new IdempotencyRecord(claimed.fingerprint(), jobId)));
	}

	@Override
	public Mono<Void> release(String client, String key) {
		return Mono.fromRunnable(() -> this.records.asMap()
			.computeIfPresent(scoped(client, key), (k, record) -> record.completed() ? record : null));
	}

	@Override
	public Mono<IdempotencyRecord> find(String client, String key) {
		return Mono.fromSupplier(() -> this.records.getIfPresent(scoped(client, key)));
	}

	private static String scoped(String client, String key) {
		return client + '\n' + key;
	}

	private record ExpireByState(Duration claimTimeout, Duration ttl) implements Expiry<String, IdempotencyRecord> {

		@Override
		public long expireAfterCreate(String key, IdempotencyRecord record, long currentTime) {
			return lifetime(record);
		}

		@Override
		public long expireAfterUpdate(String key, IdempotencyRecord record, long currentTime, long currentDuration) {
			return lifetime(record);
		}

		@Override
		public long expireAfterRead(String key, IdempotencyRecord record, long currentTime, long currentDuration) {
			return currentDuration;
		}

		private long lifetime(IdempotencyRecord record) {
			return (record.completed() ? this.ttl : this.claimTimeout).toNanos();
		}

	}

	@Override
	public Duration claimTimeout() {
		return this.claimTimeout;
	}

}
