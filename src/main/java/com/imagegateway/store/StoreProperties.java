package com.imagegateway.store;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The job store.
 *
 * @param type {@code memory} (one process) or {@code redis} (shared by every replica; the
 * connection is Boot's {@code spring.data.redis.*})
 * @param retention how long a job is kept after it was created
 * @param maxJobs how many jobs the in-memory store keeps, and how many of each client's
 * jobs Redis lists; the oldest are dropped first
 * @param idempotencyTtl how long an {@code Idempotency-Key} replays its first response
 * @param maxIdempotencyKeys how many idempotency keys the in-memory store keeps
 * @param idempotencyClaimTimeout how long a request may hold an idempotency key before it
 * finishes; a duplicate waits at most this long, and a key held by a crashed request is
 * freed
 * @param redis settings of the Redis store
 */
@Validated
@ConfigurationProperties("gateway.store")
public record StoreProperties(@NotNull @DefaultValue("memory") Type type,
		@NotNull @DefaultValue("30d") Duration retention, @Min(1) @DefaultValue("100000") int maxJobs,
		@NotNull @DefaultValue("24h") Duration idempotencyTtl, @Min(1) @DefaultValue("100000") int maxIdempotencyKeys,
		@NotNull @DefaultValue("90s") Duration idempotencyClaimTimeout, @Valid @NotNull @DefaultValue Redis redis) {

	public enum Type {

		MEMORY, REDIS

	}

	/**
	 * @param keyPrefix prefix of every key the gateway writes, so that one Redis can
	 * serve several installations
	 * @param operationTimeout the longest any store operation may take before the gateway
	 * treats the store as unavailable (on top of {@code spring.data.redis.timeout})
	 * @param retryAfter what {@code Retry-After} tells callers when the store is
	 * unavailable
	 * @param finishedJobsCached how many finished jobs each replica keeps in memory, so
	 * that reading them needs no round trip (a finished job never changes)
	 * @param finishedJobsCachedFor how long a finished job stays in that cache
	 */
	public record Redis(@NotBlank @DefaultValue("igw:") String keyPrefix,
			@NotNull @DefaultValue("2s") Duration operationTimeout, @NotNull @DefaultValue("5s") Duration retryAfter,
			@Min(0) @DefaultValue("10000") int finishedJobsCached,
			@NotNull @DefaultValue("10m") Duration finishedJobsCachedFor) {
	}

}
