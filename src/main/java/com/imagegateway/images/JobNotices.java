package com.imagegateway.images;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Tells every replica that a job has changed in the store, so that a request held on one
 * replica answers as soon as the tracker on another records the job's end. Notices may be
 * lost (a Redis reconnect): waiters also read the store now and then.
 */
public interface JobNotices {

	Mono<Void> announce(String jobId);

	/** The ids of jobs announced from now on, by any replica; hot, never completes. */
	Flux<String> announced();

}
