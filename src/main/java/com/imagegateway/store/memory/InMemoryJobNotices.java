package com.imagegateway.store.memory;

import java.time.Duration;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import com.imagegateway.images.JobNotices;

/** Notices within the one process. */
class InMemoryJobNotices implements JobNotices {

	private final Sinks.Many<String> announced = Sinks.many().multicast().directBestEffort();

	@Override
	public Mono<Void> announce(String jobId) {
		return Mono.fromRunnable(() -> this.announced.emitNext(jobId,
				Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(100))));
	}

	@Override
	public Flux<String> announced() {
		return this.announced.asFlux();
	}

}
