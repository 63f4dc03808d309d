package com.imagegateway.store.memory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import com.imagegateway.images.JobNotices;

/** Notices within the one process. */
class InMemoryJobNotices implements JobNotices {

	private final Sinks.Many<String> announced = Sinks.many().multicast().directBestEffort();

	@Override
	public Mono<Void> announce(String jobId) {
		return Mono.fromRunnable(() -> {
			// announced from several event loops at once: emissions take turns instead of
			// spinning;
			// a notice nobody listens to is dropped: a subscriber that listens later
			// reads the store again
			synchronized (this.announced) {
				this.announced.tryEmitNext(jobId);
			}
		});
	}

	@Override
	public Flux<String> announced() {
		// subscribed to the sink first: nothing announced after LISTENING can be missed
		return Flux.merge(this.announced.asFlux(), Mono.just(LISTENING));
	}

}
