package com.imagegateway.images;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Idempotency keys, scoped per client. A key is first claimed by one request (atomically,
 * so two requests arriving together cannot both create a job), then completed with the
 * job it created, or released if creation failed so that a retry may try again.
 */
public interface IdempotencyStore {

	/** Claims the key; empty when this request now holds it, else the existing record. */
	Mono<IdempotencyRecord> claim(String client, String key, String fingerprint);

	Mono<Void> complete(String client, String key, String jobId);

	Mono<Void> release(String client, String key);

	Mono<IdempotencyRecord> find(String client, String key);

	/**
	 * How long a claim holds a key before it lapses
	 * ({@code gateway.store.idempotency-claim-timeout}): a request waiting for the one
	 * that holds it waits no longer.
	 */
	Duration claimTimeout();

	/**
	 * @param fingerprint hash of the request body the key was first used with
	 * @param jobId the job created, or null while the first request is still running
	 */
	record IdempotencyRecord(String fingerprint, @Nullable String jobId) {

		public boolean completed() {
			return this.jobId != null;
		}

	}

}
