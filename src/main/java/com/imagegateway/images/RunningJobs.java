package com.imagegateway.images;

import java.time.Instant;

import reactor.core.publisher.Mono;

/**
 * The jobs each client has running, as one count for all replicas: the ledger behind the
 * running-jobs cap. Each entry counts until it is removed or until its own deadline, so
 * an entry nobody removes (a job nobody reads to its end, a replica that died mid-create)
 * frees itself.
 */
public interface RunningJobs {

	/**
	 * Atomically forgets the client's entries whose deadline has passed and, when fewer
	 * than {@code cap} remain, adds {@code entry}.
	 * @return whether the entry was added
	 */
	Mono<Boolean> tryAdd(String client, String entry, int cap, Instant now, Instant countUntil);

	/**
	 * Renames an entry (a reservation becomes the job it created), keeping its deadline.
	 */
	Mono<Void> rename(String client, String entry, String newName);

	Mono<Void> remove(String client, String entry);

}
