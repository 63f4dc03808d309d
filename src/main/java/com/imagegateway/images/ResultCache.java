package com.imagegateway.images;

import java.time.Instant;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Which earlier job answered a seeded request, by its owner (the client that created it)
 * and the request's fingerprint ({@link JobCache#key()}), across replicas. An entry lives
 * as long as the job's images are kept, so it goes when retention removes them.
 */
public interface ResultCache {

	/**
	 * Remembers the settled job as the answer to its fingerprint, in place of any earlier
	 * one, until {@code until}.
	 */
	Mono<Void> remember(String owner, String key, Result result, Instant until);

	/**
	 * The results remembered for the fingerprint, of each of these owners that has one.
	 */
	Flux<Result> find(List<String> owners, String key);

	/** Forgets an entry whose job's images are gone. */
	Mono<Void> forget(String owner, String key);

	/**
	 * @param owner the client that created the job
	 * @param jobId the job whose stored images answer the request
	 * @param completedAt when that job finished: how old the result is
	 */
	record Result(String owner, String jobId, Instant completedAt) {
	}

}
