package com.imagegateway.images;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import com.imagegateway.clients.GatewayClient;
import com.imagegateway.images.JobStore.JobPage;
import com.imagegateway.system.GatewayException;
import com.imagegateway.system.Problems;
import com.imagegateway.system.StoreUnavailableException;
import com.imagegateway.upstream.ModelRef;
import com.imagegateway.upstream.PredictionRequest;
import com.imagegateway.upstream.UpstreamException;
import com.imagegateway.upstream.UpstreamProperties;
import com.imagegateway.upstream.Upstreams;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * A client's image jobs: created and cancelled upstream, and otherwise read from the
 * store, where the {@link JobTracker} keeps each running job's state current.
 */
@Service
public class ImageJobs {

	private static final Log logger = LogFactory.getLog(ImageJobs.class);

	/**
	 * A prediction that exists upstream is worth a few tries to record before giving up
	 * on it.
	 */
	private static final Retry RECORD_RETRY = Retry.backoff(3, Duration.ofMillis(100))
		.maxBackoff(Duration.ofMillis(500))
		.filter(StoreUnavailableException.class::isInstance)
		.onRetryExhaustedThrow((spec, signal) -> signal.failure());

	private static final String UNRECORDED_DETAIL = "Your image was started but the gateway could not record it, so "
			+ "it cannot be read through the gateway; operators have been alerted. A retry starts a new image.";

	private final Upstreams upstreams;

	private final JobStore store;

	private final Clock clock;

	private final Duration outputTtl;

	private final Duration maxAge;

	private final RunningJobsLimit runningJobs;

	private final JobMetrics metrics;

	private final JobUpdates updates;

	private final JobSpending spending;

	private final CachedResults cached;

	private final FailoverCreates predictions;

	ImageJobs(Upstreams upstreams, JobStore store, Clock clock, UpstreamProperties upstream,
			RunningJobsLimit runningJobs, JobMetrics metrics, JobUpdates updates, JobSpending spending,
			TrackingProperties trackingProperties, CachedResults cached) {
		this.cached = cached;
		this.predictions = new FailoverCreates(upstreams, metrics);
		this.spending = spending;
		this.maxAge = trackingProperties.maxAge();
		this.upstreams = upstreams;
		this.store = store;
		this.clock = clock;
		this.outputTtl = upstream.outputTtl();
		this.runningJobs = runningJobs;
		this.metrics = metrics;
		this.updates = updates;
	}

	/**
	 * A new job: answered from the cache of seeded requests when the request may be and
	 * an earlier result fits, otherwise created upstream.
	 */
	Mono<Job> create(GatewayClient client, ModelRef model, CreateImageRequest request, @Nullable JobWebhook webhook,
			CachePreference preference) {
		Map<String, Object> input = request.upstreamInput();
		String key = CacheKeys.of(model, input);
		JobCache place = (key != null && !preference.noStore()) ? new JobCache(key, null) : null;
		Mono<Job> created = Mono.defer(() -> createUpstream(client, model, request, input, webhook, place));
		Duration freshness = (key != null) ? preference.freshness(client.cache().ttl()) : null;
		if (key == null || freshness == null) {
			return created;
		}
		return this.cached.answer(client, key, freshness, request, webhook)
			.flatMap(this::recordAnswer)
			.switchIfEmpty(created);
	}

	private Mono<Job> createUpstream(GatewayClient client, ModelRef model, CreateImageRequest request,
			Map<String, Object> input, @Nullable JobWebhook webhook, @Nullable JobCache place) {
		return this.runningJobs.admit(client,
				() -> this.spending.reserve(client, model, request.imagesAsked(), this.clock.instant())
					.flatMap((charge) -> this.predictions
						.create(client,
								new PredictionRequest(model, input,
										client.deadlines().cancelAfter(request.cancelAfterDuration())))
						// a create that provably started nothing gives its reservation
						// back; one that may have started a job (a timeout, a 5xx) keeps
						// it for the period, as that job may be paid for
						.onErrorResume(UpstreamException::createdNothing,
								(failure) -> this.spending.release(client.name(), charge)
									.onErrorComplete()
									.then(Mono.error(failure)))
						.map((created) -> priced(Job.created(client.name(), created.upstream(), request.model(),
								request.prompt(), created.prediction(), this.clock.instant(), this.outputTtl,
								this.maxAge, webhook, charge, place))))
					.flatMap(this::record)
					.doOnNext(this.metrics::created));
	}

	/**
	 * Stores a job answered from the cache, settled already; the deliveries its webhook
	 * is due are queued at once.
	 */
	private Mono<Job> recordAnswer(Job answered) {
		return this.store.add(answered).doOnNext((saved) -> {
			if (saved.finishedNow()) {
				this.spending.finished(saved.job());
			}
		}).map(JobStore.Saved::job).flatMap((job) -> this.updates.deliveriesDue(job).thenReturn(job));
	}

	/** A job the upstream finished at once is recorded with its real cost. */
	private Job priced(Job created) {
		return created.terminal() ? created.withCharge(this.spending.finalCharge(created)) : created;
	}

	/**
	 * Stores a job just created upstream and hands it to the trackers, in one step
	 * ({@link JobStore#add}); the deliveries its webhook is due now are queued at once
	 * (the tracker queues them too, should this replica die first). If the store stays
	 * unreachable the prediction is still running (and paid for): its id goes to the log
	 * at ERROR and to {@code gateway_jobs_unrecorded_total}, so that an operator can
	 * reconcile.
	 */
	private Mono<Job> record(Job created) {
		return this.store.add(created).doOnNext((saved) -> {
			if (saved.finishedNow()) {
				this.spending.finished(saved.job());
			}
		})
			.map(JobStore.Saved::job)
			.flatMap((job) -> this.updates.deliveriesDue(job).thenReturn(job))
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

	/** Any client's job, for the operators. */
	Mono<Job> storedForOperators(String id) {
		return this.store.find(id).switchIfEmpty(Mono.error(Problems::notFound));
	}

	/**
	 * The client's job as last stored, without asking the upstream; another client's is
	 * not found.
	 */
	public Mono<Job> stored(GatewayClient client, String id) {
		return this.store.find(id)
			.filter((job) -> job.client().equals(client.name()))
			.switchIfEmpty(Mono.error(Problems::notFound));
	}

}
