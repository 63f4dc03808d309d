package com.imagegateway.system;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Completes when the application starts shutting down, before the web server's graceful
 * shutdown waits for in-flight requests, so that held requests can answer at once instead
 * of running into the grace period.
 */
@Component
public class ShutdownSignal implements SmartLifecycle {

	private volatile Sinks.Empty<Void> stopping = Sinks.empty();

	private volatile boolean running;

	/** Completes when shutdown begins. */
	public Mono<Void> stopping() {
		return Mono.defer(() -> this.stopping.asMono());
	}

	@Override
	public void start() {
		if (!this.running) {
			// a context stopped and started again is not shutting down: a signal given
			// at the stop must not end every later wait at once
			this.stopping = Sinks.empty();
			this.running = true;
		}
	}

	@Override
	public void stop() {
		this.running = false;
		this.stopping.tryEmitEmpty();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** A paused context is not shutting down: its held requests keep waiting. */
	@Override
	public boolean isPauseable() {
		return false;
	}

	@Override
	public int getPhase() {
		// stops before the web server's graceful shutdown phase, which is lower
		return SmartLifecycle.DEFAULT_PHASE;
	}

}
