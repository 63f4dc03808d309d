package com.imagegateway.images;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Held requests and event streams waiting for a job's changes, woken by the notice of any
 * replica. One subscription to the notices serves every waiter of this replica; no thread
 * is held. A waiter is registered once for its whole life, so no notice can fall between
 * two registrations; and whenever the subscription to the notices (re)starts, every
 * waiter is woken once, as notices sent before it was live were missed.
 */
@Component
class JobWaiters implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(JobWaiters.class);

	/** The waiters of each job, for as long as one is subscribed. */
	private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

	private final JobNotices notices;

	private volatile Disposable subscription;

	private volatile boolean listening;

	JobWaiters(JobNotices notices) {
		this.notices = notices;
	}

	/**
	 * A signal at each notice of the job, and when notices may have been missed, for as
	 * long as it is subscribed to; never completes. A waiter that falls behind gets one
	 * signal for all it missed: each means "read the store again".
	 */
	Flux<Long> noticesOf(String jobId) {
		return Flux.defer(() -> {
			Waiting joined = this.waiting.compute(jobId, (id, existing) -> {
				Waiting waiting = (existing != null) ? existing : new Waiting();
				waiting.count++;
				return waiting;
			});
			return joined.signals.asFlux()
				.onBackpressureLatest()
				.doFinally((signal) -> this.waiting.computeIfPresent(jobId,
						(id, existing) -> (existing != joined || --existing.count > 0) ? existing : null));
		});
	}

	/** Whether every notice from now on reaches the waiters. */
	boolean listening() {
		return this.listening;
	}

	@Override
	public void start() {
		// subscribing may block until the store connects (Spring Data Redis's listener
		// container
		// does): never on the thread starting the application, nor on an event loop
		this.subscription = Flux.defer(this.notices::announced)
			.subscribeOn(Schedulers.boundedElastic())
			.doOnError((failure) -> this.listening = false)
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(2)))
			.subscribe(this::heard, (failure) -> logger.warn("Job notices stopped: " + failure));
	}

	/**
	 * Notices arrive one at a time, so each job's signals are emitted by one thread at a
	 * time.
	 */
	private void heard(String jobId) {
		if (JobNotices.LISTENING.equals(jobId)) {
			this.listening = true;
			this.waiting.values().forEach(Waiting::signal);
			return;
		}
		Waiting waiters = this.waiting.get(jobId);
		if (waiters != null) {
			waiters.signal();
		}
	}

	@Override
	public void stop() {
		Disposable subscription = this.subscription;
		if (subscription != null) {
			subscription.dispose();
			this.subscription = null;
			this.listening = false;
		}
	}

	@Override
	public boolean isRunning() {
		return this.subscription != null;
	}

	/**
	 * One job's waiters: how many, guarded by the map's per-key lock, and their signals.
	 */
	private static final class Waiting {

		private final Sinks.Many<Long> signals = Sinks.many().multicast().directBestEffort();

		private int count;

		void signal() {
			this.signals.tryEmitNext(0L);
		}

	}

}
