package com.imagegateway.images;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import com.imagegateway.clients.GatewayClient;
import com.imagegateway.images.JobStore.JobPage;
import com.imagegateway.system.GatewayException;
import com.imagegateway.system.Problems;
import com.imagegateway.system.ShutdownSignal;
import com.imagegateway.system.StoreUnavailableException;
import com.imagegateway.upstream.ModelRef;
import com.imagegateway.upstream.PredictionRequest;
import com.imagegateway.upstream.UpstreamProperties;
import com.imagegateway.upstream.Upstreams;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * A client's image jobs: created and cancelled upstream, and otherwise read from the store,
 * where the {@link JobTracker} keeps each running job's state current.
 */
@Service
class ImageJobs {

	private static final Log logger = LogFactory.getLog(ImageJobs.class);

	/** A prediction that exists upstream is worth a few tries to record before giving up on it. */
	private static final Retry RECORD_RETRY = Retry.backoff(3, Duration.ofMillis(100))
		.maxBackoff(Duration.ofMillis(500))
		.filter(StoreUnavailableException.class::isInstance)
		.onRetryExhaustedThrow((spec, signal) -> signal.failure());

	private static final Mono<Optional<JobWebhook>> NO_WEBHOOK = Mono.just(Optional.empty());

	private static final String UNRECORDED_DETAIL = "Your image was started but the gateway could not record it, so "
			+ "it cannot be read through the gateway; operators have been alerted. A retry starts a new image.";

	private final Upstreams upstreams;

	private final JobStore store;

	private final Clock clock;

	private final Duration outputTtl;

	/** How often a held request reads the store in case a notice of the job's end was lost. */
	private final Duration recheck;

	private final Duration maxAge;

	private final RunningJobsLimit runningJobs;

	private final JobMetrics metrics;

	private final ShutdownSignal shutdown;

	private final JobUpdates updates;

	private final JobWaiters waiters;

	private final JobWebhooks webhooks;

	ImageJobs(Upstreams upstreams, JobStore store, Clock clock, UpstreamProperties upstream,
			RunningJobsLimit runningJobs, JobMetrics metrics, ShutdownSignal shutdown, JobUpdates updates,
			JobWaiters waiters, TrackingProperties trackingProperties, JobWebhooks webhooks) {
		this.webhooks = webhooks;
		this.maxAge = trackingProperties.maxAge();
		this.upstreams = upstreams;
		this.store = store;
		this.clock = clock;
		this.outputTtl = upstream.outputTtl();
		this.recheck = upstream.maxPollInterval();
		this.runningJobs = runningJobs;
		this.metrics = metrics;
		this.shutdown = shutdown;
		this.updates = updates;
		this.waiters = waiters;
	}

	/** Rejects what must never reach the upstream; runs before anything is claimed or created. */
	ModelRef check(GatewayClient client, CreateImageRequest request) {
		var conflicts = request.conflicts();
		if (!conflicts.isEmpty()) {
			throw Problems.invalidFields(conflicts);
		}
		ModelRef model = ModelRef.parse(request.model());
		if (!client.mayUse(model)) {
			throw new GatewayException(HttpStatus.FORBIDDEN, "model_not_allowed", "Model not allowed",
					"Your client may not use " + model.path() + ".");
		}
		return model;
	}

	/**
	 * The webhook the request asks for, checked before anything is created (its host is
	 * resolved, off the event loop); empty when it asks for none.
	 */
	Mono<Optional<JobWebhook>> webhook(GatewayClient client, CreateImageRequest request, URI gateway) {
		if (request.webhook() == null) {
			return NO_WEBHOOK;
		}
		return this.webhooks.check(client, request.webhook())
			.map((url) -> Optional.of(new JobWebhook(url, request.webhookEventsOrDefault(), gateway.toString())));
	}

	Mono<Job> create(GatewayClient client, ModelRef model, CreateImageRequest request, @Nullable JobWebhook webhook) {
		return this.runningJobs.admit(client, () -> this.upstreams.named(client.upstream())
			.create(new PredictionRequest(model, request.upstreamInput(), request.cancelAfterDuration()))
			.map((prediction) -> Job.created(client.name(), client.upstream(), request.model(), request.prompt(),
					prediction, this.clock.instant(), this.outputTtl, this.maxAge, webhook))
			.flatMap(this::record)
			.doOnNext(this.metrics::created));
	}

	/**
	 * Stores a job just created upstream and hands it to the trackers, in one step
	 * ({@link JobStore#add}); the deliveries its webhook is due now are queued at once (the
	 * tracker queues them too, should this replica die first). If the store stays unreachable
	 * the prediction is still running (and paid for): its id goes to the log at ERROR and to
	 * {@code gateway_jobs_unrecorded_total}, so that an operator can reconcile.
	 */
	private Mono<Job> record(Job created) {
		return this.store.add(created)
			.map(JobStore.Saved::job)
			.flatMap((job) -> (job.webhook() != null) ? this.webhooks.recorded(job).thenReturn(job) : Mono.just(job))
			.retryWhen(RECORD_RETRY)
			.onErrorResume(StoreUnavailableException.class, (failure) -> {
				// spent all the same: finance counts it, operators reconcile it
				this.metrics.created(created);
				this.metrics.unrecorded(created);
				logger.error("Prediction " + created.id() + " of client " + created.client() + " (upstream "
						+ created.upstream() + ", model " + created.model() + ") was created upstream but could not be "
						+ "recorded: the job store is unavailable. Reconcile it by hand.");
				return Mono.error(failure.withDetail(UNRECORDED_DETAIL));
			});
	}


	Mono<Job> cancel(GatewayClient client, String id) {
		return stored(client, id).flatMap((job) -> {
			if (job.terminal()) {
				return Mono.error(new GatewayException(HttpStatus.CONFLICT, "job_finished", "Job already finished",
						"The job is " + job.status().value() + " and can no longer be canceled."));
			}
			return this.upstreams.named(job.upstream())
				.cancel(job.id())
				.map((prediction) -> job.updatedFrom(prediction, this.clock.instant(), this.outputTtl))
				.flatMap(this.updates::save);
		});
	}

	Mono<JobPage> list(GatewayClient client, @Nullable JobStatus status, @Nullable JobCursor after, int limit) {
		return this.store.list(client.name(), status, after, limit);
	}

	/**
	 * Holds until the job has finished or {@code patience} has passed, then answers with the
	 * newest state stored. The tracker records the end, whichever replica it runs on; its
	 * notice wakes the wait, and the store is read again every {@code max-poll-interval} in
	 * case a notice was lost. The gateway shutting down ends the wait early: the job exists
	 * either way, and the caller can read it later.
	 */
	Mono<Job> awaitFinished(Job job, Duration patience) {
		if (job.settled() || patience.isZero()) {
			return Mono.just(job);
		}
		AtomicReference<Job> latest = new AtomicReference<>(job);
		return Flux.merge(noticesOf(job.id()), Flux.interval(Duration.ZERO, this.recheck))
			.concatMap((signal) -> readQuietly(job.id()))
			.doOnNext(latest::set)
			.takeUntil(Job::settled)
			.take(patience)
			.takeUntilOther(this.shutdown.stopping())
			// the answer is the newest state stored, not the one last read
			.then(Mono.defer(() -> latest.get().settled() ? Mono.just(latest.get()) : readQuietly(job.id())
				.defaultIfEmpty(latest.get())));
	}

	/**
	 * The job's states from {@code job} on, each distinct one once, until it is settled or the
	 * gateway shuts down: woken by the notice of any replica's tracker, and reading the store
	 * every {@code max-poll-interval} as well, in case a notice was lost.
	 */
	Flux<Job> changes(Job job) {
		if (job.settled()) {
			return Flux.just(job);
		}
		return Flux.merge(noticesOf(job.id()), Flux.interval(this.recheck, this.recheck))
			.concatMap((signal) -> readQuietly(job.id()), 1)
			.startWith(job)
			.distinctUntilChanged()
			.takeUntil(Job::settled)
			.takeUntilOther(this.shutdown.stopping());
	}

	/**
	 * A signal for each notice of the job, for as long as it is subscribed to: a running job is
	 * announced at each change, not only at its end.
	 */
	private Flux<Long> noticesOf(String jobId) {
		return this.waiters.noticesOf(jobId);
	}

	/** The job as stored; nothing while the store is unavailable, which a waiting request rides out. */
	private Mono<Job> readQuietly(String id) {
		return this.store.find(id).onErrorResume(StoreUnavailableException.class, (failure) -> Mono.empty());
	}

	/** The client's job as last stored, without asking the upstream; another client's is not found. */
	Mono<Job> stored(GatewayClient client, String id) {
		return this.store.find(id)
			.filter((job) -> job.client().equals(client.name()))
			.switchIfEmpty(Mono.error(Problems::notFound));
	}

}
