package com.imagegateway.images;

import java.util.List;

import com.imagegateway.clients.GatewayClient;
import com.imagegateway.system.GatewayRequestObservationConvention;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Answers {@code GET /images/{id}} of a settled job with its bytes serialized once,
 * before WebFlux's handler mapping, argument resolution and {@code ResponseEntity}
 * handling, which were a third of such a read's CPU. Runs after the key and limit checks.
 * Any other read (a running job, an {@code Accept} without JSON, another method) goes on
 * to {@code ImagesController.getImage}, which documents the operation; a running job is
 * handed over so that the store is asked once. This is the one place a settled job's read
 * is answered.
 */
@Component
class FinishedReads implements WebFilter, Ordered {

	private static final String PATH = "/images/{id}";

	private static final PathPattern PATTERN = PathPatternParser.defaultInstance.parse(PATH);

	private final ImageJobs jobs;

	private final JobWebhooks webhooks;

	private final FinishedJobResponses finished;

	FinishedReads(ImageJobs jobs, JobWebhooks webhooks, FinishedJobResponses finished) {
		this.jobs = jobs;
		this.webhooks = webhooks;
		this.finished = finished;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		// HEAD too: WebFlux drops the body of a HEAD answer and keeps its headers
		if ((request.getMethod() != HttpMethod.GET && request.getMethod() != HttpMethod.HEAD)
				|| !(exchange.getAttributes().get(GatewayClient.ATTRIBUTE) instanceof GatewayClient client)) {
			return chain.filter(exchange);
		}
		PathPattern.PathMatchInfo match = PATTERN.matchAndExtract(request.getPath().pathWithinApplication());
		if (match == null || !acceptsJson(request)) {
			return chain.filter(exchange);
		}
		tagAsGetImage(exchange);
		// not found, or the store down: the same problem answers as the controller's,
		// from the same handler
		return this.jobs.stored(client, match.getUriVariables().get("id")).flatMap((job) -> {
			if (!job.settled()) {
				ImageRequests.handOver(exchange, job);
				return chain.filter(exchange);
			}
			return (job.webhook() == null) ? write(exchange, job, null)
					: this.webhooks.deliveries(job).flatMap((deliveries) -> write(exchange, job, deliveries));
		});
	}

	private Mono<Void> write(ServerWebExchange exchange, Job job, @Nullable List<JobWebhooks.Delivery> deliveries) {
		FinishedJobResponses.Rendered rendered = this.finished.render(job,
				() -> ImageRequests.gateway(exchange.getRequest()), deliveries);
		ServerHttpResponse response = exchange.getResponse();
		response.getHeaders().setETag(rendered.etag());
		String ifNoneMatch = exchange.getRequest().getHeaders().getFirst(HttpHeaders.IF_NONE_MATCH);
		if (ifNoneMatch != null && rendered.matches(ifNoneMatch)) {
			response.setStatusCode(HttpStatus.NOT_MODIFIED);
			return response.setComplete();
		}
		response.setStatusCode(HttpStatus.OK);
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		response.getHeaders().setContentLength(rendered.body().length);
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(rendered.body())));
	}

	/**
	 * What the handler mapping would have recorded: the metrics' {@code uri} and
	 * {@code operation}.
	 */
	private static void tagAsGetImage(ServerWebExchange exchange) {
		ServerRequestObservationContext.findCurrent(exchange.getAttributes())
			.ifPresent((context) -> context.setPathPattern(PATH));
		GatewayRequestObservationConvention.operation(exchange.getAttributes(), "getImage");
	}

	private static boolean acceptsJson(ServerHttpRequest request) {
		if (!request.getHeaders().containsHeader(HttpHeaders.ACCEPT)) {
			return true;
		}
		try {
			return request.getHeaders()
				.getAccept()
				.stream()
				.anyMatch((type) -> type.isCompatibleWith(MediaType.APPLICATION_JSON));
		}
		catch (RuntimeException unreadable) {
			return false;
		}
	}

	@Override
	public int getOrder() {
		// after the caller's key (+10) and its limits (+20)
		return Ordered.HIGHEST_PRECEDENCE + 30;
	}

}
