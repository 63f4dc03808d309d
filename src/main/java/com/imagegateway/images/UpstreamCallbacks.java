package com.imagegateway.images;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Hidden;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import com.imagegateway.system.GatewayException;
import com.imagegateway.system.Problems;
import com.imagegateway.upstream.Prediction;
import com.imagegateway.upstream.UpstreamProperties;
import com.imagegateway.upstream.Upstreams;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where the upstream reports a prediction's end ({@code gateway.upstream.callback-url}):
 * a callback signed with {@code gateway.upstream.webhook-secret}, recent, not seen before
 * and about a job the gateway follows records the job's new state at once, on whichever
 * replica it reaches; the replica following the job hears of it and stores its outputs.
 * Anything else is refused and changes nothing. Not for callers, so not in the API
 * document.
 */
@Hidden
@RestController
class UpstreamCallbacks {

	static final String PATH = "/upstream/callback";

	private static final String ID = "webhook-id";

	/**
	 * Past the library's tolerance of five minutes either way a callback is refused for
	 * its age, so an id is remembered no longer.
	 */
	private static final Duration REMEMBERED = Duration.ofMinutes(11);

	private final @Nullable Webhook verifier;

	private final JobStore store;

	private final JobUpdates updates;

	private final CallbackReceipts receipts;

	private final JsonMapper json;

	private final Clock clock;

	private final Duration outputTtl;

	private final Map<String, Counter> outcomes;

	UpstreamCallbacks(UpstreamProperties upstream, JobStore store, JobUpdates updates, CallbackReceipts receipts,
			JsonMapper json, Clock clock, MeterRegistry registry) {
		this.verifier = upstream.callbacks() ? verifier(upstream.webhookSecret()) : null;
		this.store = store;
		this.updates = updates;
		this.receipts = receipts;
		this.json = json;
		this.clock = clock;
		this.outputTtl = upstream.outputTtl();
		this.outcomes = Map.of("recorded", outcome(registry, "recorded"), "unchanged", outcome(registry, "unchanged"),
				"forged", outcome(registry, "forged"), "replayed", outcome(registry, "replayed"), "unknown_job",
				outcome(registry, "unknown_job"));
	}

	@PostMapping(PATH)
	Mono<ResponseEntity<Void>> receive(@RequestHeader HttpHeaders headers, @RequestBody(required = false) String body) {
		if (this.verifier == null) {
			return Mono.error(Problems.notFound());
		}
		String payload = (body != null) ? body : "";
		try {
			this.verifier.verify(payload, Map.of(ID, values(headers, ID), "webhook-timestamp",
					values(headers, "webhook-timestamp"), "webhook-signature", values(headers, "webhook-signature")));
		}
		catch (WebhookVerificationException ex) {
			count("forged");
			return Mono.error(new GatewayException(HttpStatus.UNAUTHORIZED, "invalid_signature", "Unauthorized",
					"The callback is not signed with the upstream's webhook secret, or is too old."));
		}
		Prediction prediction = prediction(payload);
		String webhookId = headers.getFirst(ID);
		return this.store.find(prediction.id())
			.filter((job) -> !job.upstream().equals(Upstreams.SANDBOX))
			.switchIfEmpty(Mono.defer(() -> {
				count("unknown_job");
				return Mono.error(Problems.notFound());
			}))
			.flatMap((job) -> this.receipts.claim(webhookId, REMEMBERED).flatMap((first) -> {
				if (!first) {
					count("replayed");
					return Mono.error(new GatewayException(HttpStatus.CONFLICT, "callback_replayed", "Conflict",
							"This callback was received before."));
				}
				return record(job, prediction)
					// the upstream retries a callback that failed: its retry must be
					// taken
					.onErrorResume(
							(failure) -> this.receipts.release(webhookId).onErrorComplete().then(Mono.error(failure)));
			}))
			.thenReturn(ResponseEntity.noContent().build());
	}

	private Mono<Job> record(Job job, Prediction prediction) {
		Job updated = job.terminal() ? job : job.updatedFrom(prediction, this.clock.instant(), this.outputTtl);
		if (updated.equals(job)) {
			count("unchanged");
			return Mono.just(job);
		}
		count("recorded");
		return this.updates.saveReported(updated);
	}

	private Prediction prediction(String payload) {
		try {
			Prediction prediction = this.json.readValue(payload, Prediction.class);
			if (prediction.id() == null || prediction.id().isBlank()) {
				throw Problems.invalidField("id", "is required");
			}
			return prediction;
		}
		catch (JacksonException ex) {
			throw Problems.invalidField("body", "is not a prediction");
		}
	}

	private void count(String outcome) {
		this.outcomes.get(outcome).increment();
	}

	private static List<String> values(HttpHeaders headers, String name) {
		List<String> values = headers.get(name);
		return (values != null) ? values : List.of();
	}

	private static Counter outcome(MeterRegistry registry, String outcome) {
		return Counter.builder("gateway.upstream.callbacks")
			.description("Callbacks from the upstream, by what became of them")
			.tag("outcome", outcome)
			.register(registry);
	}

	private static Webhook verifier(@Nullable String secret) {
		try {
			return new Webhook(secret);
		}
		catch (EmptyWebhookSecretException | IllegalArgumentException ex) {
			// never the secret itself, nor the decoder's message about it
			throw new IllegalStateException("gateway.upstream.webhook-secret must be the upstream's signing secret, "
					+ "whsec_ followed by base64");
		}
	}

}
