package com.imagegateway.upstream.sandbox;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

import com.imagegateway.upstream.Prediction;
import com.imagegateway.upstream.PredictionRequest;
import com.imagegateway.upstream.Predictions;
import com.imagegateway.upstream.UpstreamException;
import com.imagegateway.upstream.UpstreamOperation;
import com.imagegateway.upstream.UpstreamProperties;

import org.springframework.stereotype.Component;

/**
 * A simulated upstream for sandbox clients: jobs go {@code starting} → {@code processing} →
 * {@code succeeded} (or {@code failed} for a prompt containing "fail") within
 * {@link SandboxProperties#runFor()}, and their images are served by the gateway itself.
 * No upstream key is spent. Jobs live in this replica's memory only.
 */
@Component
public class SandboxPredictions implements Predictions {

	/** Where sandbox images are served; the output URLs are relative to the gateway. */
	static final String FILES_PATH = "/sandbox/files/";

	private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

	private final SecureRandom random = new SecureRandom();

	private final SandboxProperties properties;

	private final Clock clock;

	private final Duration filesKeptFor;

	private final Cache<String, SandboxJob> jobs;

	SandboxPredictions(SandboxProperties properties, UpstreamProperties upstream, Clock clock) {
		this.properties = properties;
		this.clock = clock;
		this.filesKeptFor = upstream.outputTtl();
		this.jobs = Caffeine.newBuilder()
			.maximumSize(properties.maxJobs())
			.expireAfterWrite(properties.runFor().plus(upstream.outputTtl()))
			.build();
	}

	@Override
	public Mono<Prediction> create(PredictionRequest request) {
		return Mono.fromSupplier(() -> {
			Map<String, Object> input = request.input();
			SandboxJob job = new SandboxJob(newId(), request.model(), String.valueOf(input.getOrDefault("prompt", "")),
					Math.clamp(number(input.get("num_outputs"), 1), 1, 4),
					ImageFormat.fromExtension(String.valueOf(input.getOrDefault("output_format", "webp")))
						.orElse(ImageFormat.WEBP),
					String.valueOf(input.getOrDefault("aspect_ratio", "1:1")),
					number(input.get("seed"), this.random.nextInt(1 << 30)), this.clock.instant(), null);
			this.jobs.put(job.id(), job);
			return prediction(job);
		});
	}

	@Override
	public Mono<Prediction> get(String id) {
		return Mono.defer(() -> find(id).map(this::prediction)
			.map(Mono::just)
			.orElseGet(() -> Mono.error(UpstreamException.notFound(UpstreamOperation.READ))));
	}

	@Override
	public Mono<Prediction> cancel(String id) {
		return Mono.defer(() -> {
			SandboxJob job = this.jobs.asMap().computeIfPresent(id, (key, current) -> {
				boolean running = current.canceledAt() == null && elapsed(current).compareTo(this.properties.runFor()) < 0;
				return running ? current.canceled(this.clock.instant()) : current;
			});
			return (job != null) ? Mono.just(prediction(job))
					: Mono.error(UpstreamException.notFound(UpstreamOperation.CANCEL));
		});
	}

	/** The bytes of one output image, while the simulated upstream would still serve it. */
	Optional<SandboxImage> image(String id, int index, ImageFormat format) {
		return find(id).filter((job) -> job.canceledAt() == null && !job.fails())
			.filter((job) -> index >= 0 && index < job.outputs() && job.format() == format)
			.filter((job) -> {
				Duration age = elapsed(job);
				return age.compareTo(this.properties.runFor()) >= 0
						&& age.compareTo(this.properties.runFor().plus(this.filesKeptFor)) < 0;
			})
			.map((job) -> new SandboxImage(job, index, this.properties.imageSize()));
	}

	private Optional<SandboxJob> find(String id) {
		return Optional.ofNullable(this.jobs.getIfPresent(id));
	}

	private Prediction prediction(SandboxJob job) {
		Instant started = job.createdAt().plus(this.properties.startingFor());
		Instant finished = job.createdAt().plus(this.properties.runFor());
		Duration age = elapsed(job);
		if (job.canceledAt() != null) {
			return prediction(job, "canceled", job.canceledAt().isAfter(started) ? started : null, job.canceledAt(),
					null, null);
		}
		if (age.compareTo(this.properties.startingFor()) < 0) {
			return prediction(job, "starting", null, null, null, null);
		}
		if (age.compareTo(this.properties.runFor()) < 0) {
			return prediction(job, "processing", started, null, null, null);
		}
		if (job.fails()) {
			return prediction(job, "failed", started, finished, null,
					"Sandbox: the prompt asked for a failure (it contains \"" + SandboxJob.FAILURE_WORD + "\").");
		}
		ArrayNode output = JsonNodeFactory.instance.arrayNode();
		for (int i = 0; i < job.outputs(); i++) {
			output.add(FILES_PATH + job.id() + "/" + i + "." + job.format().extension());
		}
		return prediction(job, "succeeded", started, finished, output, null);
	}

	private Prediction prediction(SandboxJob job, String status, Instant started, Instant completed,
			ArrayNode output, String error) {
		Double predictTime = (completed != null && started != null)
				? Duration.between(started, completed).toNanos() / 1e9 : null;
		return new Prediction(job.id(), job.model().path(), (job.model().version() != null) ? job.model().version()
				: "sandbox", status, output, (error != null) ? JsonNodeFactory.instance.stringNode(error) : null,
				job.createdAt(), started, completed, new Prediction.Metrics(predictTime, job.outputs()));
	}

	private Duration elapsed(SandboxJob job) {
		return Duration.between(job.createdAt(), this.clock.instant());
	}

	private String newId() {
		StringBuilder id = new StringBuilder(26);
		for (int i = 0; i < 26; i++) {
			id.append(ID_ALPHABET.charAt(this.random.nextInt(ID_ALPHABET.length())));
		}
		return id.toString();
	}

	private static int number(Object value, int fallback) {
		return (value instanceof Number number) ? number.intValue() : fallback;
	}

}
