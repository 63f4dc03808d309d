package com.imagegateway.images;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.imagegateway.system.ShutdownSignal;
import com.imagegateway.system.StoreUnavailableException;
import com.imagegateway.upstream.UpstreamProperties;

import org.springframework.stereotype.Component;

/**
 * Waiting for a job, without a thread and without asking the upstream: the tracker
 * records each change, whichever replica it runs on, and its notice wakes the waiter; the
 * store is also read every {@code max-poll-interval} in case a notice was lost. The
 * gateway shutting down ends every wait early: the job exists either way, and the caller
 * can read it later.
 */
@Component
class JobWaits {

	private final JobStore store;

	private final JobWaiters waiters;

	private final ShutdownSignal shutdown;

	/**
	 * How often a waiter reads the store in case a notice of the job's change was lost.
	 */
	private final Duration recheck;

	JobWaits(JobStore store, JobWaiters waiters, ShutdownSignal shutdown, UpstreamProperties upstream) {
		this.store = store;
		this.waiters = waiters;
		this.shutdown = shutdown;
		this.recheck = upstream.maxPollInterval();
	}

	/**
	 * Holds until the job has finished or {@code patience} has passed, then answers with
	 * the newest state stored.
	 */
	Mono<Job> awaitFinished(Job job, Duration patience) {
		if (job.settled() || patience.isZero()) {
			return Mono.just(job);
		}
		AtomicReference<Job> latest = new AtomicReference<>(job);
		return Flux.merge(this.waiters.noticesOf(job.id()), Flux.interval(Duration.ZERO, this.recheck))
			.concatMap((signal) -> readQuietly(job.id()))
			.doOnNext(latest::set)
			.takeUntil(Job::settled)
			.take(patience)
			.takeUntilOther(this.shutdown.stopping())
			// the answer is the newest state stored, not the one last read
			.then(Mono.defer(() -> latest.get().settled() ? Mono.just(latest.get())
					: readQuietly(job.id()).defaultIfEmpty(latest.get())));
	}

	/**
	 * The job's states from {@code job} on, each distinct one once, until it is settled
	 * or the gateway shuts down. A running job is announced at each change, not only at
	 * its end.
	 */
	Flux<Job> changes(Job job) {
		if (job.settled()) {
			return Flux.just(job);
		}
		return Flux.merge(this.waiters.noticesOf(job.id()), Flux.interval(this.recheck, this.recheck))
			.concatMap((signal) -> readQuietly(job.id()), 1)
			.startWith(job)
			.distinctUntilChanged()
			.takeUntil(Job::settled)
			.takeUntilOther(this.shutdown.stopping());
	}

	/**
	 * The job as stored; nothing while the store is unavailable, which a waiter rides
	 * out.
	 */
	private Mono<Job> readQuietly(String id) {
		return this.store.find(id).onErrorResume(StoreUnavailableException.class, (failure) -> Mono.empty());
	}

}
