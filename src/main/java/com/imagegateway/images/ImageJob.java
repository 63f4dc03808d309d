package com.imagegateway.images;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
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
				+ "did not finish it within the gateway's longest job time.",
				nullable = true) @Nullable String errorCode,
		@Schema(description = "When the job was created.",
				requiredMode = Schema.RequiredMode.REQUIRED) Instant createdAt,
		@Schema(description = "When the model started running.", nullable = true) @Nullable Instant startedAt,
		@Schema(description = "When the job finished.", nullable = true) @Nullable Instant completedAt,
		@Schema(description = "Seconds the model ran.", nullable = true) @Nullable Double predictTimeSeconds,
		@Schema(description = "Whether the retention sweep removed the job's prompt and images (after "
				+ "`gateway.storage.retention`, 7 days by default); the rest of the record stays.",
				requiredMode = Schema.RequiredMode.REQUIRED) boolean dataRemoved,
		@Schema(description = "What the job costs; absent only for jobs recorded before the gateway priced jobs.") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Cost cost,
		// left out rather than null: a generated client reads an absent object more
		// readily than a null one
		@Schema(description = "The webhook the job was created with; absent when it has none.") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Webhook webhook,
		@Schema(description = "Whether an earlier job's stored images answered this seeded request (no prediction was "
				+ "made; its cost is 0).", requiredMode = Schema.RequiredMode.REQUIRED) boolean cached) {

	/**
	 * @param deliveries each event's delivery so far; shown by {@code GET /images/{id}},
	 * null elsewhere
	 */
	@Schema(name = "ImageJobWebhook", description = "Where a job's events are delivered, and how that went.")
	public record Webhook(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String url,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<WebhookEvent> events,
			@Schema(description = "Each event's delivery so far, on `GET /images/{id}` (null elsewhere).",
					nullable = true) @Nullable List<JobWebhooks.Delivery> deliveries) {
	}

	/**
	 * @param amount the cost in {@code currency}, six decimal places; null when unknown
	 * @param priced {@code final}, {@code estimated} or {@code unknown}
	 */
	@Schema(name = "ImageJobCost", description = "What a job costs, in the gateway's pricing currency.")
	public record Cost(@Schema(description = "The amount, exact to six decimal places: while the job runs, the "
			+ "estimate its create reserved against your budget; once it finished, its cost (images produced and "
			+ "seconds the model ran, at the prices in force when it was created). Null when its model has no price.",
			example = "0.003000", nullable = true) @Nullable BigDecimal amount,
			@Schema(description = "The pricing currency (ISO 4217).", example = "USD",
					requiredMode = Schema.RequiredMode.REQUIRED) String currency,
			@Schema(description = "`final` once the job finished, `estimated` while it runs, `unknown` when its "
					+ "model has no price.",
					allowableValues = {
							"final", "estimated", "unknown" },
					requiredMode = Schema.RequiredMode.REQUIRED) String priced){

		static @Nullable Cost of(@Nullable JobCharge charge) {
			if (charge == null) {
				return null;
			}
			return new Cost((charge.priced() == JobCharge.Priced.UNKNOWN) ? null : charge.amount(), charge.currency(),
					charge.priced().value());
		}

	}

	/**
	 * The caller's view of a job. Stored outputs are linked at the gateway; others keep
	 * the upstream's link, and links given as a path (the sandbox's) are made absolute
	 * against the gateway address the caller used.
	 */
	static ImageJob of(Job job, URI gateway, SignedOutputLinks links) {
		return of(job, gateway, links, null);
	}

	/** With the webhook's deliveries, as {@code GET /images/{id}} shows them. */
	static ImageJob of(Job job, URI gateway, SignedOutputLinks links, @Nullable List<JobWebhooks.Delivery> deliveries) {
		List<String> urls = job.outputUrls();
		List<GeneratedImage> images = new ArrayList<>(urls.size());
		for (int i = 0; i < urls.size(); i++) {
			OutputCopy copy = (job.copies() != null) ? job.copies().get(i) : null;
			if (copy != null && copy.stored()) {
				String path = outputPath(job.id(), i);
				images.add(new GeneratedImage(gateway.resolve(path).toString(), true, copy.contentType(), copy.bytes(),
						null, links.signed(gateway, path), null));
			}
			else {
				String url = urls.get(i);
				images.add(new GeneratedImage(url.startsWith("/") ? gateway.resolve(url).toString() : url, false, null,
						null, job.outputsExpireAt(), null, (copy != null) ? copy.notStoredReason() : null));
			}
		}
		return new ImageJob(job.id(), job.model(), job.version(), job.status(), job.prompt(), List.copyOf(images),
				job.error(), job.errorCode(), job.createdAt(), job.startedAt(), job.completedAt(),
				job.predictTimeSeconds(), job.dataRemoved(), Cost.of(job.charge()),
				(job.webhook() != null) ? new Webhook(job.webhook().url(), job.webhook().events(), deliveries) : null,
				job.cache() != null && job.cache().hitOf() != null);
	}

	public static String outputPath(String id, int index) {
		return "/images/" + id + "/outputs/" + index;
	}

}
