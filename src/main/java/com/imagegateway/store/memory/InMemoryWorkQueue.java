package com.imagegateway.store.memory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import com.imagegateway.queue.WorkQueue;

/**
 * The one process follows every job. The jobs not yet done are kept, so that a tracker
 * that subscribes again (after a pause) is handed all of them.
 */
class InMemoryWorkQueue implements WorkQueue {

	private final Set<String> pending = ConcurrentHashMap.newKeySet();

	private final Sinks.Many<Assignment> added = Sinks.many().multicast().directBestEffort();

	@Override
	public Mono<Void> add(String jobId) {
		return Mono.fromRunnable(() -> queue(jobId));
	}

	void queue(String jobId) {
		this.pending.add(jobId);
		// creates on several event loops at once: emissions take turns instead of
		// spinning (a busy
		// loop held an event loop and, past its limit, failed the create); with no
		// tracker
		// subscribed the job waits in pending
		synchronized (this.added) {
			this.added.tryEmitNext(new Assignment(jobId, true));
		}
	}

	@Override
	public Flux<Assignment> assignments() {
		// subscribed to new jobs first, so that none added meanwhile is missed; repeats
		// are ignored
		return Flux.merge(this.added.asFlux(),
				Flux.defer(() -> Flux.fromIterable(List.copyOf(this.pending)).map((id) -> new Assignment(id, true))));
	}

	@Override
	public Mono<Void> done(String jobId) {
		return Mono.fromRunnable(() -> this.pending.remove(jobId));
	}

	@Override
	public Mono<Void> release() {
		return Mono.empty();
	}

}
