package com.imagegateway.images;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** A job as callers see it. */
@Schema(name = "ImageJob", description = "An image generation job.")
public record ImageJob(
		@Schema(description = "The job's id.", example = "qpt5jq1fssrmc0cmd5hvy31mdg",
				requiredMode = Schema.RequiredMode.REQUIRED) String id,
		@Schema(description = "The model as requested.", example = "black-forest-labs/flux-schnell",
				requiredMode = Schema.RequiredMode.REQUIRED) String model,
		@Schema(description = "The model version that ran.", nullable = true) @Nullable String version,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) JobStatus status,
		@Schema(description = "The prompt as requested.", requiredMode = Schema.RequiredMode.REQUIRED) String prompt,
		@Schema(description = "The outputs, once the job succeeded.",
				requiredMode = Schema.RequiredMode.REQUIRED) List<GeneratedImage> images,
		@Schema(description = "Why the job failed.", nullable = true) @Nullable String error,
		@Schema(description = "Set when the gateway itself failed the job: `upstream_timeout` when the model provider "
				+ "did not finish it within the gateway's longest job time.", nullable = true) @Nullable String errorCode,
		@Schema(description = "When the job was created.", requiredMode = Schema.RequiredMode.REQUIRED) Instant createdAt,
		@Schema(description = "When the model started running.", nullable = true) @Nullable Instant startedAt,
		@Schema(description = "When the job finished.", nullable = true) @Nullable Instant completedAt,
		@Schema(description = "Seconds the model ran.", nullable = true) @Nullable Double predictTimeSeconds) {

	/**
	 * The caller's view of a job. Output links given as a path (the sandbox's) are made
	 * absolute against the gateway address the caller used.
	 */
	static ImageJob of(Job job, URI gateway) {
		List<GeneratedImage> images = job.outputUrls()
			.stream()
			.map((url) -> new GeneratedImage(url.startsWith("/") ? gateway.resolve(url).toString() : url,
					job.outputsExpireAt()))
			.toList();
		return new ImageJob(job.id(), job.model(), job.version(), job.status(), job.prompt(), images, job.error(), job.errorCode(),
				job.createdAt(), job.startedAt(), job.completedAt(), job.predictTimeSeconds());
	}

}
