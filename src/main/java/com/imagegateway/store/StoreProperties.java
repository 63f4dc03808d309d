package com.imagegateway.store;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The job store.
 *
 * @param retention how long a job is kept after it was created
 * @param maxJobs how many jobs the in-memory store keeps; the oldest are dropped first
 * @param idempotencyTtl how long an {@code Idempotency-Key} replays its first response
 * @param maxIdempotencyKeys how many idempotency keys the in-memory store keeps
 * @param idempotencyClaimTimeout how long a request may hold an idempotency key before it
 * finishes; a duplicate waits at most this long, and a key held by a crashed request is freed
 */
@Validated
@ConfigurationProperties("gateway.store")
public record StoreProperties(@NotNull @DefaultValue("7d") Duration retention,
		@Min(1) @DefaultValue("100000") int maxJobs, @NotNull @DefaultValue("24h") Duration idempotencyTtl,
		@Min(1) @DefaultValue("100000") int maxIdempotencyKeys,
		@NotNull @DefaultValue("90s") Duration idempotencyClaimTimeout) {
}
