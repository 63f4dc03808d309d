package com.imagegateway.images;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import com.imagegateway.system.Durations;
import com.imagegateway.upstream.Prediction;

/**
 * An image job as the gateway stores it: the upstream prediction, its owner, and the
 * upstream that runs it.
 *
 * @param outputsExpireAt when the upstream stops serving {@code outputUrls}
 * @param runsUntil when the gateway gives up on the job if the upstream has not finished
 * it (by the gateway's clock, not the upstream's); null for jobs stored before it was
 * kept
 * @param copies what the gateway stored of each output, in the order of
 * {@code outputUrls}; null until a succeeded job's outputs have been stored or given up
 * @param dataRemoved whether the retention sweep removed the job's prompt and images
 * @param errorCode why the gateway itself ended the job, as a problem code (such as
 * {@code upstream_timeout}); null when the upstream ended it
 * @param webhook where the job's events are delivered; null when the caller asked for
 * none
 * @param charge what the job costs and counts for; null for jobs recorded before jobs
 * were priced
 * @param cache its request's place in the cache of seeded requests; null when it has none
 */
public record Job(String id, String client, String upstream, String model, @Nullable String version, JobStatus status,
		String prompt, List<String> outputUrls, @Nullable Instant outputsExpireAt, @Nullable String error,
		@Nullable String errorCode, Instant createdAt, @Nullable Instant startedAt, @Nullable Instant completedAt,
		@Nullable Double predictTimeSeconds, @Nullable Instant runsUntil, @Nullable List<OutputCopy> copies,
		boolean dataRemoved, @Nullable JobWebhook webhook, @Nullable JobCharge charge, @Nullable JobCache cache) {

	private static final Log logger = LogFactory.getLog(Job.class);

	public Job {
		outputUrls = List.copyOf(outputUrls);
		copies = (copies != null) ? List.copyOf(copies) : null;
	}

	/**
	 * The model as {@code owner/name}, without a version: how usage and metrics name it.
	 */
	public String modelPath() {
		// the model was checked when the job was created: cutting the version
		// off is all that is left, and runs for every finished job
		int version = this.model.indexOf(':');
		return (version < 0) ? this.model : this.model.substring(0, version);
	}

	public boolean terminal() {
		return this.status.terminal();
	}

	/**
	 * Whether the job will never change again: finished, and its outputs stored or given
	 * up. A succeeded job is finished before it is settled, while its outputs are being
	 * stored.
	 */
	public boolean settled() {
		return terminal() && (this.outputUrls.isEmpty() || this.copies != null);
	}

	/**
	 * Whether a tracker has work on this job once it is recorded: following it to its
	 * end, or queueing the deliveries its webhook is due.
	 */
	public boolean needsTracker() {
		return !settled() || this.webhook != null;
	}

	/** This job with its outputs stored or given up: settled. */
	Job withCopies(List<OutputCopy> copies) {
		return new Job(this.id, this.client, this.upstream, this.model, this.version, this.status, this.prompt,
				this.outputUrls, this.outputsExpireAt, this.error, this.errorCode, this.createdAt, this.startedAt,
				this.completedAt, this.predictTimeSeconds, this.runsUntil, copies, this.dataRemoved, this.webhook,
				this.charge, this.cache);
	}

	/**
	 * This job after the retention sweep: its prompt and images are gone, its record
	 * stays.
	 */
	Job withDataRemoved() {
		return new Job(this.id, this.client, this.upstream, this.model, this.version, this.status, "", List.of(), null,
				this.error, this.errorCode, this.createdAt, this.startedAt, this.completedAt, this.predictTimeSeconds,
				this.runsUntil, List.of(), true, this.webhook, this.charge, this.cache);
	}

	/** This job with its charge. */
	Job withCharge(JobCharge charge) {
		return new Job(this.id, this.client, this.upstream, this.model, this.version, this.status, this.prompt,
				this.outputUrls, this.outputsExpireAt, this.error, this.errorCode, this.createdAt, this.startedAt,
				this.completedAt, this.predictTimeSeconds, this.runsUntil, this.copies, this.dataRemoved, this.webhook,
				charge, this.cache);
	}

	/** Whether the gateway should give up on this job now. */
	boolean overdue(Instant now, Duration maxAge) {
		return !now.isBefore((this.runsUntil != null) ? this.runsUntil : this.createdAt.plus(maxAge));
	}

	static Job created(String client, String upstream, String model, String prompt, Prediction prediction, Instant now,
			Duration outputTtl, Duration maxAge, @Nullable JobWebhook webhook, @Nullable JobCharge charge,
			@Nullable JobCache cache) {
		Job job = new Job(prediction.id(), client, upstream, model, prediction.version(), JobStatus.STARTING, prompt,
				List.of(), null, null, null, (prediction.createdAt() != null) ? prediction.createdAt() : now, null,
				null, null, now.plus(maxAge), null, false, webhook, charge, cache);
		return job.updatedFrom(prediction, now, outputTtl);
	}

	/**
	 * A new job answered from the cache with the stored images of {@code source} (already
	 * copied under {@code id}): finished and settled at once, with nothing run.
	 */
	static Job answeredBy(Job source, String id, String client, String model, String prompt, Instant now,
			@Nullable JobWebhook webhook, JobCharge charge, String key) {
		return new Job(id, client, source.upstream, model, source.version, JobStatus.SUCCEEDED, prompt,
				source.outputUrls, source.outputsExpireAt, null, null, now, now, now, null, null, source.copies, false,
				webhook, charge, new JobCache(key, source.id));
	}

	/**
	 * This job as the upstream now reports it. An upstream status the gateway does not
	 * know leaves the status as it was: the job is polled again rather than failed.
	 */
	Job updatedFrom(Prediction prediction, Instant now, Duration outputTtl) {
		JobStatus status = JobStatus.fromValue(String.valueOf(prediction.status())).orElseGet(() -> {
			logger.warn("Upstream reported unknown status '" + prediction.status() + "' for job " + this.id
					+ "; keeping it as " + this.status.value());
			return this.status;
		});
		List<String> outputs = prediction.outputUrls();
		Instant completed = prediction.completedAt();
		Instant expires = outputs.isEmpty() ? null : ((completed != null) ? completed : now).plus(outputTtl);
		return new Job(this.id, this.client, this.upstream, this.model,
				(prediction.version() != null) ? prediction.version() : this.version, status, this.prompt, outputs,
				expires, prediction.errorText(), null, this.createdAt,
				(prediction.startedAt() != null) ? prediction.startedAt() : this.startedAt, completed,
				(prediction.predictTime() != null) ? prediction.predictTime() : this.predictTimeSeconds, this.runsUntil,
				null, false, this.webhook, this.charge, this.cache);
	}

	/**
	 * This job failed by the gateway: the upstream did not finish it within
	 * {@code maxAge}.
	 */
	Job timedOut(Duration maxAge, Instant now) {
		return new Job(this.id, this.client, this.upstream, this.model, this.version, JobStatus.FAILED, this.prompt,
				List.of(), null,
				"The model provider did not finish the job within " + readable(maxAge) + "; the gateway canceled it.",
				"upstream_timeout", this.createdAt, this.startedAt, now, this.predictTimeSeconds, this.runsUntil, null,
				false, this.webhook, this.charge, this.cache);
	}

	/** This job failed by the gateway: the upstream answers that it does not know it. */
	Job lost(Instant now) {
		return new Job(this.id, this.client, this.upstream, this.model, this.version, JobStatus.FAILED, this.prompt,
				List.of(), null, "The model provider no longer knows this job.", "upstream_error", this.createdAt,
				this.startedAt, now, this.predictTimeSeconds, this.runsUntil, null, false, this.webhook, this.charge,
				this.cache);
	}

	/** A duration as configured: {@code 30m}, not {@code PT30M} or {@code 1800000ms}. */
	static String readable(Duration duration) {
		return Durations.readable(duration);
	}

}
