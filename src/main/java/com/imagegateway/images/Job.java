package com.imagegateway.images;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import com.imagegateway.upstream.Prediction;

/**
 * An image job as the gateway stores it: the upstream prediction, its owner, and the
 * upstream that runs it.
 *
 * @param outputsExpireAt when the upstream stops serving {@code outputUrls}
 */
public record Job(String id, String client, String upstream, String model, @Nullable String version,
		JobStatus status, String prompt, List<String> outputUrls, @Nullable Instant outputsExpireAt,
		@Nullable String error, Instant createdAt, @Nullable Instant startedAt, @Nullable Instant completedAt,
		@Nullable Double predictTimeSeconds) {

	private static final Log logger = LogFactory.getLog(Job.class);

	public Job {
		outputUrls = List.copyOf(outputUrls);
	}

	public boolean terminal() {
		return this.status.terminal();
	}

	static Job created(String client, String upstream, String model, String prompt, Prediction prediction,
			Instant now, Duration outputTtl) {
		Job job = new Job(prediction.id(), client, upstream, model, prediction.version(), JobStatus.STARTING, prompt,
				List.of(), null, null, (prediction.createdAt() != null) ? prediction.createdAt() : now, null, null, null);
		return job.updatedFrom(prediction, now, outputTtl);
	}

	/**
	 * This job as the upstream now reports it. An upstream status the gateway does not know
	 * leaves the status as it was: the job is polled again rather than failed.
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
				expires, prediction.errorText(), this.createdAt,
				(prediction.startedAt() != null) ? prediction.startedAt() : this.startedAt, completed,
				(prediction.predictTime() != null) ? prediction.predictTime() : this.predictTimeSeconds);
	}

}
