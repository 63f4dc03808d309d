package com.imagegateway.images;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import com.imagegateway.clients.GatewayClient;
import com.imagegateway.system.Durations;
import com.imagegateway.system.FieldProblem;
import com.imagegateway.system.GatewayException;
import com.imagegateway.system.Problems;
import com.imagegateway.upstream.ModelRef;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * {@code POST /images}, the one use case of creating images, read top to bottom: reject
 * what must never reach the upstream, check the webhook, create (once per
 * {@code Idempotency-Key}), then hold the answer if the caller prefers to wait.
 */
@Component
public class ImageCreation {

	/** The request header that makes a create safe to retry. */
	public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	private static final Mono<Optional<JobWebhook>> NO_WEBHOOK = Mono.just(Optional.empty());

	private final ImageJobs jobs;

	private final IdempotentCreation idempotent;

	private final JobWaits waits;

	private final JobWebhooks webhooks;

	private final JobMetrics metrics;

	ImageCreation(ImageJobs jobs, IdempotentCreation idempotent, JobWaits waits, JobWebhooks webhooks,
			JobMetrics metrics) {
		this.metrics = metrics;
		this.jobs = jobs;
		this.idempotent = idempotent;
		this.waits = waits;
		this.webhooks = webhooks;
	}

	/**
	 * @param idempotencyKey the caller's {@code Idempotency-Key}, if any
	 * @param wait the caller's {@code Prefer: wait}, if any
	 * @param cacheControl the caller's {@code Cache-Control} header, if any
	 * @param gateway the gateway's address as the caller sees it, for the webhook's links
	 */
	Mono<Created> create(GatewayClient client, CreateImageRequest request, @Nullable String idempotencyKey,
			Optional<PreferWait> wait, @Nullable String cacheControl, URI gateway) {
		return create(client, request, idempotencyKey, wait, CachePreference.parse(cacheControl), gateway);
	}

	/**
	 * Creation for another API the gateway speaks (OpenAI's): the same checks, webhook,
	 * idempotency and wait, the wait given as a duration.
	 * @param wait how long to hold for the job to settle (its images stored)
	 */
	public Mono<Created> create(GatewayClient client, CreateImageRequest request, @Nullable String idempotencyKey,
			Duration wait, URI gateway) {
		return create(client, request, idempotencyKey, Optional.of(new PreferWait(wait)), CachePreference.NONE,
				gateway);
	}

	private Mono<Created> create(GatewayClient client, CreateImageRequest request, @Nullable String idempotencyKey,
			Optional<PreferWait> wait, CachePreference cache, URI gateway) {
		ModelRef model = check(client, request);
		if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
			throw Problems.invalidField(IDEMPOTENCY_KEY, "must be 1 to 255 characters");
		}
		return webhook(client, request, gateway)
			.flatMap((webhook) -> (idempotencyKey != null)
					? this.idempotent.create(client, model, request, idempotencyKey, webhook.orElse(null), cache)
					: this.jobs.create(client, model, request, webhook.orElse(null), cache)
						.map((job) -> new Created(job, false)))
			.flatMap((created) -> wait
				.map((w) -> this.waits.awaitFinished(created.job(), w.duration())
					.map((job) -> new Created(job, created.replayed(), w)))
				.orElse(Mono.just(created)));
	}

	/**
	 * Rejects what must never reach the upstream; runs before anything is claimed or
	 * created.
	 */
	private ModelRef check(GatewayClient client, CreateImageRequest request) {
		var conflicts = request.conflicts();
		if (!conflicts.isEmpty()) {
			throw Problems.invalidFields(conflicts);
		}
		if (!client.deadlines().allows(request.cancelAfterDuration())) {
			throw Problems.invalidField("cancelAfter",
					"must be at most " + Durations.readable(client.deadlines().maxCancelAfter()) + " for your client");
		}
		ModelRef model = ModelRef.parse(request.model());
		if (!client.mayUse(model)) {
			throw new GatewayException(HttpStatus.FORBIDDEN, "model_not_allowed", "Model not allowed",
					"Your client may not use " + model.path() + ".");
		}
		client.prompt().brokenRule(request.prompt()).ifPresent((rule) -> {
			this.metrics.promptRejected(client.name(), rule);
			// the rule, never the prompt: it may be the very text the rule is there for
			throw new GatewayException(HttpStatus.UNPROCESSABLE_CONTENT, "prompt_rejected", "Prompt rejected",
					"The prompt breaks rule " + rule + " of your client's prompt rules.",
					List.of(new FieldProblem("prompt", "breaks rule " + rule)), null);
		});
		return model;
	}

	/**
	 * The webhook the request asks for, checked before anything is created (its host is
	 * resolved, off the event loop); empty when it asks for none.
	 */
	private Mono<Optional<JobWebhook>> webhook(GatewayClient client, CreateImageRequest request, URI gateway) {
		if (request.webhook() == null) {
			return NO_WEBHOOK;
		}
		return this.webhooks.check(client, request.webhook())
			.map((url) -> Optional.of(new JobWebhook(url, request.webhookEventsOrDefault(), gateway.toString())));
	}

	/**
	 * @param job the job as the caller is answered with it
	 * @param replayed whether an earlier request with the same {@code Idempotency-Key}
	 * created it
	 * @param waited the wait the answer was held for, if any
	 */
	public record Created(Job job, boolean replayed, @Nullable PreferWait waited) {

		Created(Job job, boolean replayed) {
			this(job, replayed, null);
		}

	}

}
