package com.imagegateway.images;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Held requests waiting for a job's end, woken by the notice of any replica. One
 * subscription to the notices serves every waiter of this replica; no thread is held.
 */
@Component
class JobWaiters implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(JobWaiters.class);

	private final JobNotices notices;

	/** Bounded in time: a waiter gives up after {@link PreferWait#LONGEST} anyway. */
	private final Cache<String, Sinks.Empty<Void>> waiting = Caffeine.newBuilder()
		.expireAfterAccess(PreferWait.LONGEST.plusSeconds(10))
		.build();

	private volatile Disposable subscription;

	JobWaiters(JobNotices notices) {
		this.notices = notices;
	}

	/** Completes when a notice for this job arrives. */
	Mono<Void> announced(String jobId) {
		return this.waiting.get(jobId, (id) -> Sinks.empty()).asMono();
	}

	@Override
	public void start() {
		// subscribing may block until the store connects (Spring Data Redis's listener container
		// does): never on the thread starting the application, nor on an event loop
		this.subscription = Flux.defer(this.notices::announced)
			.subscribeOn(Schedulers.boundedElastic())
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(2)))
			.subscribe(this::wake, (failure) -> logger.warn("Job notices stopped: " + failure));
	}

	private void wake(String jobId) {
		Sinks.Empty<Void> waiters = this.waiting.asMap().remove(jobId);
		if (waiters != null) {
			waiters.tryEmitEmpty();
		}
	}

	@Override
	public void stop() {
		Disposable subscription = this.subscription;
		if (subscription != null) {
			subscription.dispose();
			this.subscription = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.subscription != null;
	}

}
