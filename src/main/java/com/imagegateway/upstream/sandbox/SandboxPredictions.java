package com.imagegateway.upstream.sandbox;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

import com.imagegateway.upstream.Prediction;
import com.imagegateway.upstream.PredictionRequest;
import com.imagegateway.upstream.Predictions;
import com.imagegateway.upstream.UpstreamException;
import com.imagegateway.upstream.UpstreamOperation;
import com.imagegateway.upstream.UpstreamProperties;
import com.imagegateway.upstream.Upstreams;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.stereotype.Component;

/**
 * A simulated upstream for sandbox clients: jobs go {@code starting} → {@code processing}
 * → {@code succeeded} (or {@code failed} for a prompt containing "fail") within
 * {@link SandboxProperties#runFor()}, and their images are served by the gateway itself.
 * No upstream key is spent. A job's whole life follows from its id and the clock, so
 * every replica answers alike and nothing is kept here; a cancellation is remembered by
 * the job store, which never asks about a finished job again.
 */
@Component
@Qualifier(Upstreams.SANDBOX)
public class SandboxPredictions implements Predictions {

	/** Where sandbox images are served; the output URLs are relative to the gateway. */
	static final String FILES_PATH = "/sandbox/files/";

	private static final Pattern FILE = Pattern.compile(Pattern.quote(FILES_PATH) + "([0-9a-z]+)/([0-9])\\.([a-z]+)");

	private final SecureRandom random = new SecureRandom();

	private final SandboxProperties properties;

	private final Clock clock;

	private final Duration filesKeptFor;

	SandboxPredictions(SandboxProperties properties, UpstreamProperties upstream, Clock clock) {
		this.properties = properties;
		this.clock = clock;
		this.filesKeptFor = upstream.outputTtl();
	}

	@Override
	public Mono<Prediction> create(PredictionRequest request) {
		return Mono.fromSupplier(() -> {
			Map<String, Object> input = request.input();
			SandboxJob job = SandboxJob.of(String.valueOf(input.getOrDefault("prompt", "")),
					Math.clamp(number(input.get("num_outputs"), 1), 1, 4),
					ImageFormat.fromExtension(String.valueOf(input.getOrDefault("output_format", "webp")))
						.orElse(ImageFormat.WEBP),
					String.valueOf(input.getOrDefault("aspect_ratio", "1:1")),
					number(input.get("seed"), this.random.nextInt(1 << 30)), this.clock.instant(),
					this.random.nextInt());
			return prediction(job, (request.model().version() != null) ? request.model().version() : "sandbox", null);
		});
	}

	@Override
	public Mono<Prediction> get(String id) {
		return Mono.defer(() -> SandboxJob.fromId(id)
			.map((job) -> Mono.just(prediction(job, null, null)))
			.orElseGet(() -> Mono.error(UpstreamException.notFound(UpstreamOperation.READ))));
	}

	@Override
	public Mono<Prediction> cancel(String id) {
		return Mono.defer(() -> SandboxJob.fromId(id).map((job) -> {
			boolean running = elapsed(job).compareTo(this.properties.runFor()) < 0;
			return Mono.just(prediction(job, null, running ? this.clock.instant() : null));
		}).orElseGet(() -> Mono.error(UpstreamException.notFound(UpstreamOperation.CANCEL))));
	}

	@Override
	public Flux<DataBuffer> output(String url) {
		Matcher file = FILE.matcher(url);
		return Mono
			.justOrEmpty(file.matches()
					? ImageFormat.fromExtension(file.group(3))
						.flatMap((format) -> image(file.group(1), Integer.parseInt(file.group(2)), format))
					: Optional.empty())
			.switchIfEmpty(Mono.error(() -> UpstreamException.notFound(UpstreamOperation.READ)))
			.flatMap((image) -> Mono.fromCallable(image::encode).subscribeOn(Schedulers.boundedElastic()))
			.map((bytes) -> (DataBuffer) DefaultDataBufferFactory.sharedInstance.wrap(bytes))
			.flux();
	}

	/**
	 * The bytes of one output image, while the simulated upstream would still serve it.
	 */
	Optional<SandboxImage> image(String id, int index, ImageFormat format) {
		return SandboxJob.fromId(id)
			.filter((job) -> !job.fails())
			.filter((job) -> index >= 0 && index < job.outputs() && job.format() == format)
			.filter((job) -> {
				Duration age = elapsed(job);
				return age.compareTo(this.properties.runFor()) >= 0
						&& age.compareTo(this.properties.runFor().plus(this.filesKeptFor)) < 0;
			})
			.map((job) -> new SandboxImage(job, index, this.properties.imageSize()));
	}

	/**
	 * @param version the version to report; null after the create, which leaves the job's
	 * own
	 * @param canceledAt when it was canceled, if this call cancels it
	 */
	private Prediction prediction(SandboxJob job, @Nullable String version, @Nullable Instant canceledAt) {
		Instant started = job.createdAt().plus(this.properties.startingFor());
		Instant finished = job.createdAt().plus(this.properties.runFor());
		Duration age = elapsed(job);
		if (canceledAt != null) {
			return prediction(job, version, "canceled", canceledAt.isAfter(started) ? started : null, canceledAt, null,
					null);
		}
		if (age.compareTo(this.properties.startingFor()) < 0) {
			return prediction(job, version, "starting", null, null, null, null);
		}
		if (age.compareTo(this.properties.runFor()) < 0) {
			return prediction(job, version, "processing", started, null, null, null);
		}
		if (job.fails()) {
			return prediction(job, version, "failed", started, finished, null, job.failure());
		}
		ArrayNode output = JsonNodeFactory.instance.arrayNode();
		for (int i = 0; i < job.outputs(); i++) {
			output.add(FILES_PATH + job.id() + "/" + i + "." + job.format().extension());
		}
		return prediction(job, version, "succeeded", started, finished, output, null);
	}

	private Prediction prediction(SandboxJob job, @Nullable String version, String status, @Nullable Instant started,
			@Nullable Instant completed, @Nullable ArrayNode output, @Nullable String error) {
		Double predictTime = (completed != null && started != null)
				? Duration.between(started, completed).toNanos() / 1e9 : null;
		return new Prediction(job.id(), null, version, status, output,
				(error != null) ? JsonNodeFactory.instance.stringNode(error) : null, job.createdAt(), started,
				completed, new Prediction.Metrics(predictTime, job.outputs()));
	}

	private Duration elapsed(SandboxJob job) {
		return Duration.between(job.createdAt(), this.clock.instant());
	}

	private static int number(Object value, int fallback) {
		return (value instanceof Number number) ? number.intValue() : fallback;
	}

}
