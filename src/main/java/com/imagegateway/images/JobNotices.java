package com.imagegateway.images;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Tells every replica that a job has changed in the store, so that a request held on one
 * replica answers as soon as the tracker on another records the job's end. Notices sent
 * while a replica is not listening (starting, or reconnecting to Redis) do not reach it:
 * {@link #LISTENING} tells it when to read again what it may have missed.
 */
public interface JobNotices {

	/**
	 * Not a job id: the subscription is live, and notices sent before it may have been
	 * missed.
	 */
	String LISTENING = "";

	Mono<Void> announce(String jobId);

	/**
	 * The ids of jobs announced from now on, by any replica; hot, never completes. Its
	 * first element is {@link #LISTENING}, sent once every later notice is certain to
	 * arrive.
	 */
	Flux<String> announced();

}
