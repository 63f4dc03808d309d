package com.imagegateway.openai;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.imagegateway.clients.GatewayClient;
import com.imagegateway.images.CreateImageRequest;
import com.imagegateway.images.GeneratedImage;
import com.imagegateway.images.ImageCreation;
import com.imagegateway.images.ImageJob;
import com.imagegateway.images.Job;
import com.imagegateway.images.JobStatus;
import com.imagegateway.images.JobViews;
import com.imagegateway.outputs.StoredImages;
import com.imagegateway.system.GatewayException;
import com.imagegateway.upstream.ModelRef;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * An OpenAI image generation as ordinary jobs: one, or several when {@code n} is more
 * than the model makes at once (fanned out, then joined, never fewer images than asked),
 * each created as {@code POST /images} creates (allow-list, limits, budget, idempotency,
 * tracking), held until its images are stored, and answered with signed links to them or
 * their bytes.
 */
@Component
class ImageGenerations {

	/** The header naming the jobs of a generation that did not finish in time. */
	static final String JOB_ID = "Image-Job-Id";

	private final ImageCreation creation;

	private final ModelAliases models;

	private final JobViews views;

	private final StoredImages stored;

	private final Clock clock;

	private final Duration wait;

	ImageGenerations(ImageCreation creation, ModelAliases models, JobViews views, StoredImages stored, Clock clock,
			OpenAiProperties properties) {
		this.creation = creation;
		this.models = models;
		this.views = views;
		this.stored = stored;
		this.clock = clock;
		this.wait = properties.holdFor();
	}

	Mono<ImagesResponse> generate(GatewayClient client, ImageGenerationRequest request, @Nullable String idempotencyKey,
			URI gateway) {
		ModelRef model = this.models.resolve(request.model());
		OpenAiProperties.ModelInputs inputs = this.models.inputs(model);
		List<Integer> batches = batches(request.images(), inputs.maxOutputs());
		return Flux.range(0, batches.size())
			.flatMapSequential((batch) -> this.creation.create(client, job(request, model, inputs, batches.get(batch)),
					key(idempotencyKey, batch, batches.size()), this.wait, gateway))
			.map(ImageCreation.Created::job)
			.collectList()
			.flatMap((jobs) -> answer(request, jobs, gateway));
	}

	/** {@code n} images in jobs of at most {@code most} each. */
	static List<Integer> batches(int images, int most) {
		List<Integer> batches = new ArrayList<>();
		for (int left = images; left > 0; left -= most) {
			batches.add(Math.min(left, most));
		}
		return batches;
	}

	/** Each job of a generation has a key of its own, derived from the caller's. */
	private static @Nullable String key(@Nullable String idempotencyKey, int batch, int batches) {
		return (idempotencyKey == null || batches == 1) ? idempotencyKey : idempotencyKey + "#" + (batch + 1);
	}

	private static CreateImageRequest job(ImageGenerationRequest request, ModelRef model,
			OpenAiProperties.ModelInputs inputs, int images) {
		Map<String, Object> input = new LinkedHashMap<>();
		String aspectRatio = request.aspectRatio();
		if (aspectRatio == null) {
			Map<String, Object> sized = SizeMapping.inputs(request.size(), inputs);
			aspectRatio = (String) sized.remove("aspect_ratio");
			input.putAll(sized);
		}
		if (request.outputCompression() != null) {
			input.put("output_quality", request.outputCompression());
		}
		String format = request.format().equals("jpeg") ? "jpg" : request.format();
		return new CreateImageRequest(model.toString(), request.prompt(), aspectRatio, images, format, request.seed(),
				input.isEmpty() ? null : input, null, null, null);
	}

	private Mono<ImagesResponse> answer(ImageGenerationRequest request, List<Job> jobs, URI gateway) {
		List<Job> unfinished = jobs.stream().filter((job) -> !job.settled()).toList();
		if (!unfinished.isEmpty()) {
			String ids = unfinished.stream().map(Job::id).collect(Collectors.joining(","));
			throw new GatewayException(HttpStatus.GATEWAY_TIMEOUT, "generation_timeout", "Generation timeout",
					"The images were not ready within " + this.wait.toSeconds() + " s; follow job(s) " + ids
							+ " on GET /images/{id}.")
				.withHeader(JOB_ID, ids);
		}
		for (Job job : jobs) {
			if (job.status() != JobStatus.SUCCEEDED) {
				throw new GatewayException(HttpStatus.BAD_GATEWAY, "job_" + job.status().value(), "Generation failed",
						"Job " + job.id() + " " + job.status().value()
								+ ((job.error() != null) ? ": " + job.error() : "."))
					.withHeader(JOB_ID, job.id());
			}
		}
		return Flux.fromIterable(jobs)
			.concatMap((job) -> images(request, job, gateway))
			.collectList()
			.map((data) -> new ImagesResponse(this.clock.instant().getEpochSecond(), data, request.format(),
					(request.size() != null) ? request.size() : "auto"));
	}

	private Flux<ImagesResponse.Image> images(ImageGenerationRequest request, Job job, URI gateway) {
		ImageJob view = this.views.of(job, gateway);
		return Flux.range(0, view.images().size()).concatMap((index) -> {
			GeneratedImage image = view.images().get(index);
			if (!image.stored()) {
				return Mono
					.error(new GatewayException(HttpStatus.BAD_GATEWAY, "image_not_stored", "Image not stored", "Image "
							+ index + " of job " + job.id() + " could not be stored (" + image.notStoredReason() + ").")
						.withHeader(JOB_ID, job.id()));
			}
			return request.base64()
					? this.stored.bytes(job, index)
						.map((bytes) -> new ImagesResponse.Image(null, Base64.getEncoder().encodeToString(bytes)))
					: Mono.just(new ImagesResponse.Image(image.signedUrl(), null));
		});
	}

}
