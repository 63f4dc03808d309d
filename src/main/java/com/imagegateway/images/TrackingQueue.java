package com.imagegateway.images;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The running jobs waiting for their end, each followed by exactly one replica: in this
 * process's memory ({@code gateway.store.type=memory}, the one process tracks everything) or
 * in a Redis stream with a consumer group, where a replica that stops or dies has its jobs
 * taken over by another.
 */
public interface TrackingQueue {

	/** Hands a job that is still running to the trackers. */
	Mono<Void> add(String jobId);

	/**
	 * What this replica is to do, for as long as it subscribes: start following a job (a
	 * new one, or one taken over from a replica that stopped), or stop following one that
	 * another replica has taken over.
	 */
	Flux<Assignment> assignments();

	/** The job has finished: no replica follows it again. */
	Mono<Void> done(String jobId);

	/** This replica is stopping: the jobs it follows go to another one as soon as possible. */
	Mono<Void> release();

	/**
	 * @param jobId the job
	 * @param follow whether to start following it (or to stop)
	 */
	record Assignment(String jobId, boolean follow) {
	}

}
