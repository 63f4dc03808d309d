package com.imagegateway.upstream;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import io.netty.channel.ConnectTimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.codec.CodecException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The real upstream, one instance per upstream key: its {@link WebClient} already carries
 * the base URL and the {@code Bearer hk-...} header, so no request rebuilds them.
 */
final class ReplicatePredictions implements Predictions {

	private static final int MAX_DETAIL_LENGTH = 500;

	private final WebClient web;

	private final ResilienceProperties.Timeouts timeouts;

	private final JsonMapper jsonMapper;

	private final UpstreamCallMetrics metrics;

	ReplicatePredictions(WebClient web, ResilienceProperties.Timeouts timeouts, JsonMapper jsonMapper,
			UpstreamCallMetrics metrics) {
		this.web = web;
		this.timeouts = timeouts;
		this.jsonMapper = jsonMapper;
		this.metrics = metrics;
	}

	@Override
	public Mono<Prediction> create(PredictionRequest request) {
		ModelRef model = request.model();
		WebClient.RequestHeadersSpec<?> call = (model.version() != null)
				? this.web.post().uri("/predictions").bodyValue(Map.of("version", model.version(), "input", request.input()))
				: this.web.post()
					.uri("/models/{owner}/{name}/predictions", model.owner(), model.name())
					.bodyValue(Map.of("input", request.input()));
		return exchange(UpstreamOperation.CREATE, call);
	}

	@Override
	public Mono<Prediction> get(String id) {
		return exchange(UpstreamOperation.READ, this.web.get().uri("/predictions/{id}", id));
	}

	@Override
	public Mono<Prediction> cancel(String id) {
		return exchange(UpstreamOperation.CANCEL, this.web.post().uri("/predictions/{id}/cancel", id));
	}

	/** One attempt; retries, if any, resubscribe to it. */
	private Mono<Prediction> exchange(UpstreamOperation operation, WebClient.RequestHeadersSpec<?> call) {
		return call.exchangeToMono((response) -> read(operation, response))
			.timeout(this.timeouts.of(operation))
			.onErrorMap((failure) -> !(failure instanceof UpstreamException), (failure) -> translate(operation, failure))
			.transform((attempt) -> this.metrics.timed(operation, attempt));
	}

	private Mono<Prediction> read(UpstreamOperation operation, ClientResponse response) {
		if (response.statusCode().is2xxSuccessful()) {
			return response.bodyToMono(Prediction.class)
				.filter((prediction) -> prediction.id() != null && !prediction.id().isBlank())
				.switchIfEmpty(Mono.error(() -> UpstreamException.badResponse(operation,
						new IllegalStateException("Upstream answered without a prediction id"))));
		}
		int status = response.statusCode().value();
		Duration retryAfter = retryAfter(response.headers().asHttpHeaders());
		return response.bodyToMono(String.class)
			.defaultIfEmpty("")
			.flatMap((body) -> Mono.error(UpstreamException.fromStatus(operation, status, detail(body), retryAfter)));
	}

	private static UpstreamException translate(UpstreamOperation operation, Throwable failure) {
		if (failure instanceof TimeoutException) {
			return UpstreamException.timeout(operation, failure);
		}
		if (failure instanceof CodecException) {
			return UpstreamException.badResponse(operation, failure);
		}
		return UpstreamException.connection(operation, !neverConnected(failure), failure);
	}

	/** A refused, unresolvable or timed-out connect: the request cannot have reached the upstream. */
	private static boolean neverConnected(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectException || cause instanceof ConnectTimeoutException
					|| cause instanceof UnknownHostException) {
				return true;
			}
		}
		return false;
	}

	private @Nullable String detail(String body) {
		if (body.isBlank()) {
			return null;
		}
		String detail = body;
		try {
			JsonNode json = this.jsonMapper.readTree(body);
			if (json.path("detail").isString()) {
				detail = json.path("detail").asString();
			}
		}
		catch (RuntimeException notJson) {
			// plain-text error bodies are passed on as they are
		}
		detail = SecretRedaction.redact(detail);
		return (detail.length() > MAX_DETAIL_LENGTH) ? detail.substring(0, MAX_DETAIL_LENGTH) + "…" : detail;
	}

	static @Nullable Duration retryAfter(HttpHeaders headers) {
		String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
		if (value == null) {
			return null;
		}
		try {
			return Duration.ofSeconds(Long.parseLong(value.strip()));
		}
		catch (NumberFormatException httpDate) {
			long date = headers.getFirstDate(HttpHeaders.RETRY_AFTER);
			return (date > 0) ? Duration.ofMillis(Math.max(0, date - System.currentTimeMillis())) : null;
		}
	}

}
