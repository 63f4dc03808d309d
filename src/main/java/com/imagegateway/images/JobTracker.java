package com.imagegateway.images;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import com.imagegateway.queue.QueueWork;
import com.imagegateway.upstream.UpstreamException;
import com.imagegateway.upstream.UpstreamProperties;
import com.imagegateway.upstream.Upstreams;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Follows every running job to its end in the background, whether or not anyone reads it,
 * and then until its outputs are stored ({@link JobOutputs}): the jobs the
 * {@link TrackingQueue} assigns to this replica are asked of the upstream on a timer (no
 * thread each), soon at first and less often the longer they run, and each new state is
 * stored, so that reads and held requests are answered from the store. A job the upstream
 * has not finished after {@code gateway.tracking.max-age} is canceled upstream and failed
 * with {@code upstream_timeout}; one the upstream no longer knows is failed as lost. With
 * upstream callbacks ({@link UpstreamCallbacks}) the end is usually recorded by the
 * callback, on any replica: the tracker hears of it at once and asks the upstream only at
 * {@code gateway.upstream.callback-poll-interval}, for a callback that never comes.
 */
@Component
class JobTracker implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(JobTracker.class);

	private final JobStore store;

	private final JobUpdates updates;

	private final JobOutputs outputs;

	private final JobWaiters waiters;

	private final Upstreams upstreams;

	private final Clock clock;

	private final Duration firstPause;

	private final Duration longestPause;

	private final boolean callbacks;

	private final Duration outputTtl;

	private final TrackingProperties properties;

	private final Timer lag;

	private final QueueWork followed;

	private final CachedResults cached;

	JobTracker(TrackingQueue queue, JobStore store, JobUpdates updates, JobOutputs outputs, JobWaiters waiters,
			Upstreams upstreams, Clock clock, UpstreamProperties upstream, TrackingProperties properties,
			MeterRegistry registry, CachedResults cached) {
		this.cached = cached;
		this.store = store;
		this.updates = updates;
		this.outputs = outputs;
		this.waiters = waiters;
		this.upstreams = upstreams;
		this.clock = clock;
		this.firstPause = upstream.callbacks() ? upstream.callbackPollInterval() : upstream.pollInterval();
		this.longestPause = upstream.callbacks() ? upstream.callbackPollInterval() : upstream.maxPollInterval();
		this.callbacks = upstream.callbacks();
		this.outputTtl = upstream.outputTtl();
		this.properties = properties;
		this.followed = new QueueWork(queue.entries(), "Tracked jobs", properties.takeoverAfter(), this::follow);
		Gauge.builder("gateway.tracking.jobs", this.followed, QueueWork::size)
			.description("Running jobs this replica follows")
			.register(registry);
		this.lag = Timer.builder("gateway.tracking.lag")
			.description("How late a job's check ran after it was due")
			.register(registry);
	}

	@Override
	public void start() {
		this.followed.start();
	}

	@Override
	public void stop(Runnable callback) {
		this.followed.stop(callback);
	}

	@Override
	public void stop() {
		stop(() -> {
		});
	}

	@Override
	public boolean isRunning() {
		return this.followed.isRunning();
	}

	/**
	 * Follows the job to its end, then stores its outputs; the queue's entry is done
	 * then. A job settled already (at its creation, or by another replica) has the
	 * deliveries its webhook is due queued, each once: its creator may have died before
	 * it did.
	 */
	private Mono<Void> follow(String jobId) {
		return this.store.find(jobId)
			.retryWhen(QueueWork.STORE_RETRY)
			// settling saves through JobUpdates, which queues the deliveries itself
			.flatMap((job) -> job.settled()
					? Mono.defer(() -> this.updates.deliveriesDue(job)).retryWhen(QueueWork.STORE_RETRY)
					: settle(job).then())
			.then();
	}

	private Mono<Job> settle(Job job) {
		return (job.terminal() ? Mono.just(job) : untilFinished(job))
			.flatMap((finished) -> finished.settled() ? Mono.just(finished)
					: this.outputs.keep(finished)
						.map(finished::withCopies)
						// remembered before it is saved settled, which answers its held
						// requests: a caller repeating it at once finds it
						.flatMap((settled) -> this.cached.remember(settled)
							.then(Mono.defer(() -> this.updates.save(settled)).retryWhen(QueueWork.STORE_RETRY))));
	}

	/**
	 * The job once it is finished: as the store shows it when a notice says it changed
	 * (its end recorded by a callback, on any replica), or as checked on a timer,
	 * whichever comes first. The notices are heard for the whole wait, so none falls
	 * between two checks.
	 */
	private Mono<Job> untilFinished(Job running) {
		if (!this.callbacks) {
			// only a callback records a job's end behind its tracker's back
			return checked(running);
		}
		Mono<Job> recorded = this.waiters.noticesOf(running.id())
			.concatMap((notice) -> this.store.find(running.id()).onErrorResume((failure) -> Mono.empty()), 1)
			.filter(Job::terminal)
			.next();
		return Mono.firstWithValue(recorded, checked(running));
	}

	/** Checks the job on a timer until it is finished; completes then. */
	private Mono<Job> checked(Job running) {
		AtomicReference<Job> latest = new AtomicReference<>(running);
		AtomicReference<Duration> pause = new AtomicReference<>(this.firstPause);
		AtomicInteger notFound = new AtomicInteger();
		return Mono.defer(() -> {
			Duration wait = pause.getAndUpdate(this::longer);
			Instant due = this.clock.instant().plus(wait);
			return Mono.delay(wait).then(Mono.defer(() -> {
				this.lag.record(Duration.between(due, this.clock.instant()).isNegative() ? Duration.ZERO
						: Duration.between(due, this.clock.instant()));
				return check(latest.get(), notFound, pause);
			}));
		}).repeat().doOnNext(latest::set).takeUntil(Job::terminal).last(running);
	}

	/**
	 * One look at the job: its new state as stored, or the job as it was when the look
	 * failed. A failed look is not retried (the next one is its retry), but the
	 * upstream's {@code Retry-After} postpones the next.
	 */
	private Mono<Job> check(Job job, AtomicInteger notFound, AtomicReference<Duration> pause) {
		Instant now = this.clock.instant();
		if (job.overdue(now, this.properties.maxAge())) {
			return giveUp(job, now);
		}
		return this.upstreams.named(job.upstream())
			.get(job.id())
			.doOnNext((prediction) -> notFound.set(0))
			.map((prediction) -> job.updatedFrom(prediction, this.clock.instant(), this.outputTtl))
			// most checks of a long job find it as it was: writing it again would only
			// load the store
			.flatMap((updated) -> updated.equals(job) ? Mono.just(job) : this.updates.save(updated))
			.onErrorResume(UpstreamException.class, (failure) -> {
				Duration retryAfter = failure.retryAfter();
				if (retryAfter != null) {
					pause.accumulateAndGet(retryAfter,
							(current, asked) -> (asked.compareTo(current) > 0) ? asked : current);
				}
				if (failure.upstreamStatus() == 404 && notFound.incrementAndGet() >= this.properties.lostAfter()) {
					logger.warn("Job " + job.id() + " of client " + job.client() + ": the upstream no longer knows it");
					return this.updates.save(job.lost(this.clock.instant()));
				}
				return Mono.just(job);
			})
			// the upstream busy or unreachable, the store down: the next check tries
			// again
			.onErrorResume((failure) -> {
				logger.debug("Check of job " + job.id() + " failed; trying again later", failure);
				return Mono.just(job);
			});
	}

	private Mono<Job> giveUp(Job job, Instant now) {
		logger.warn("Job " + job.id() + " of client " + job.client() + " still running after "
				+ Job.readable(this.properties.maxAge()) + ": canceling it upstream");
		return this.upstreams.named(job.upstream())
			.cancel(job.id())
			.onErrorResume((failure) -> Mono.empty())
			.then(this.updates.save(job.timedOut(this.properties.maxAge(), now)))
			.onErrorResume((failure) -> Mono.just(job));
	}

	private Duration longer(Duration pause) {
		// in nanoseconds: Duration.dividedBy goes through BigDecimal, at every check
		long longer = pause.toNanos() + pause.toNanos() / 2;
		return (longer < this.longestPause.toNanos()) ? Duration.ofNanos(longer) : this.longestPause;
	}

}
