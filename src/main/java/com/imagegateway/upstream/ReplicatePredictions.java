package com.imagegateway.upstream;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.channel.ConnectTimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.codec.CodecException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriUtils;

/**
 * The real upstream, one instance per upstream key: its {@link WebClient} already carries
 * the {@code Bearer hk-...} header and its calls go to URIs built from {@code apiRoot},
 * so no request rebuilds them.
 */
final class ReplicatePredictions implements Predictions {

	private static final int MAX_DETAIL_LENGTH = 500;

	/**
	 * Replicate's limit on how long a prediction may run, as a duration such as
	 * {@code 90s}.
	 */
	private static final String CANCEL_AFTER = "Cancel-After";

	/**
	 * {@link WebClient}'s own attribute: keeps the template as the {@code uri} tag of its
	 * metrics.
	 */
	private static final String URI_TEMPLATE = WebClient.class.getName() + ".uriTemplate";

	private final WebClient web;

	/**
	 * Without the upstream key: output links are public, and the key goes to the API
	 * alone.
	 */
	private final WebClient files;

	private final String apiRoot;

	private final URI versionedCreateUri;

	/** Create URIs by model, built once: callers use a handful of models. */
	private final Cache<String, URI> createUris = Caffeine.newBuilder().maximumSize(1_000).build();

	private final ResilienceProperties.Timeouts timeouts;

	private final JsonMapper jsonMapper;

	private final UpstreamCallMetrics metrics;

	/**
	 * What each create adds to its body so that the upstream calls the gateway back when
	 * the prediction completes; empty without callbacks.
	 */
	private final Map<String, Object> callback;

	ReplicatePredictions(WebClient web, WebClient files, String apiRoot, ResilienceProperties.Timeouts timeouts,
			JsonMapper jsonMapper, UpstreamCallMetrics metrics, @Nullable URI callbackUrl) {
		this.web = web;
		this.files = files;
		this.apiRoot = apiRoot;
		this.versionedCreateUri = uri("/predictions");
		this.timeouts = timeouts;
		this.jsonMapper = jsonMapper;
		this.metrics = metrics;
		// only the end: every other event would be a call to verify and store for nothing
		this.callback = (callbackUrl != null)
				? Map.of("webhook", callbackUrl.toString(), "webhook_events_filter", List.of("completed")) : Map.of();
	}

	@Override
	public Mono<Prediction> create(PredictionRequest request) {
		ModelRef model = request.model();
		WebClient.RequestHeadersSpec<?> call = (model.version() != null)
				? this.web.post()
					.uri(this.versionedCreateUri)
					.attribute(URI_TEMPLATE, "/predictions")
					.bodyValue(body(Map.of("version", model.version(), "input", request.input())))
				: this.web.post()
					// owner and name are path-safe: ModelRef's syntax allows only
					// [A-Za-z0-9_.-]
					.uri(this.createUris.get(model.path(), (path) -> uri("/models/" + path + "/predictions")))
					.attribute(URI_TEMPLATE, "/models/{owner}/{name}/predictions")
					.bodyValue(body(Map.of("input", request.input())));
		if (request.cancelAfter() != null) {
			call = call.header(CANCEL_AFTER, request.cancelAfter().toSeconds() + "s");
		}
		return exchange(UpstreamOperation.CREATE, call);
	}

	private Map<String, Object> body(Map<String, Object> prediction) {
		if (this.callback.isEmpty()) {
			return prediction;
		}
		Map<String, Object> body = new HashMap<>(prediction);
		body.putAll(this.callback);
		return body;
	}

	@Override
	public Mono<Prediction> get(String id) {
		return exchange(UpstreamOperation.READ,
				this.web.get().uri(uri("/predictions/" + segment(id))).attribute(URI_TEMPLATE, "/predictions/{id}"));
	}

	@Override
	public Mono<Prediction> cancel(String id) {
		return exchange(UpstreamOperation.CANCEL,
				this.web.post()
					.uri(uri("/predictions/" + segment(id) + "/cancel"))
					.attribute(URI_TEMPLATE, "/predictions/{id}/cancel"));
	}

	@Override
	public Flux<DataBuffer> output(String url) {
		// a fixed template: each output's own URL as a metric tag would grow without
		// bound
		return this.files.get().uri(URI.create(url)).attribute(URI_TEMPLATE, "{output}").exchangeToFlux((response) -> {
			if (response.statusCode().is2xxSuccessful()) {
				return response.bodyToFlux(DataBuffer.class);
			}
			return response.releaseBody()
				.thenMany(Flux.<DataBuffer>error(UpstreamException.fromStatus(UpstreamOperation.READ,
						response.statusCode().value(), null, retryAfter(response.headers().asHttpHeaders()))));
		})
			// between two chunks, not for the whole file
			.timeout(this.timeouts.read());
	}

	/**
	 * An absolute URI needs no template expansion, which cost more than the rest of
	 * building the call.
	 */
	private URI uri(String path) {
		return URI.create(this.apiRoot + path);
	}

	private static String segment(String id) {
		return UriUtils.encodePathSegment(id, StandardCharsets.UTF_8);
	}

	/** One attempt; retries, if any, resubscribe to it. */
	private Mono<Prediction> exchange(UpstreamOperation operation, WebClient.RequestHeadersSpec<?> call) {
		return call.exchangeToMono((response) -> read(operation, response))
			.timeout(this.timeouts.of(operation))
			.onErrorMap((failure) -> !(failure instanceof UpstreamException),
					(failure) -> translate(operation, failure))
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

	/**
	 * A refused, unresolvable or timed-out connect: the request cannot have reached the
	 * upstream.
	 */
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
