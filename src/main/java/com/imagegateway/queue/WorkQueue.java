package com.imagegateway.queue;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Entries of work, each worked on by exactly one replica until it is done: in this
 * process's memory ({@code gateway.store.type=memory}, the one process does everything)
 * or in a Redis stream with a consumer group, where a replica that stops or dies has its
 * entries taken over by another. The running jobs' trackers and the webhook deliveries
 * each have one.
 */
public interface WorkQueue {

	/** Hands an entry, by its id, to the replicas. */
	Mono<Void> add(String jobId);

	/**
	 * What this replica is to do, for as long as it subscribes: start working on an entry
	 * (a new one, or one taken over from a replica that stopped), or stop working on one
	 * that another replica has taken over.
	 */
	Flux<Assignment> assignments();

	/** The entry's work is done: no replica works on it again. */
	Mono<Void> done(String jobId);

	/** This replica is stopping: its entries go to another one as soon as possible. */
	Mono<Void> release();

	/**
	 * @param jobId the entry's id (a job's, or a delivery's)
	 * @param follow whether to start working on it (or to stop)
	 */
	record Assignment(String jobId, boolean follow) {
	}

}
