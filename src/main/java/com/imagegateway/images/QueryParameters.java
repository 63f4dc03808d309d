package com.imagegateway.images;

import java.util.Set;

import reactor.core.publisher.Mono;

import com.imagegateway.system.Problems;

import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses a query parameter that the {@code /images} operation does not define
 * ({@code validation_failed}), as an unknown body field is: {@code ?stauts=failed} would
 * otherwise list every job as if filtered. One place for every operation, the reads of
 * settled jobs answered before the controllers included.
 */
@Component
class QueryParameters implements WebFilter, Ordered {

	private static final String REFUSED = "A query parameter this operation does not define (`validation_failed`), or "
			+ "a header holding a control character (`invalid_request`).";

	private static final Set<String> LISTING = Set.of("limit", "cursor", "status");

	private static final Set<String> OUTPUT = Set.of(SignedOutputLinks.EXPIRES, SignedOutputLinks.SIGNATURE);

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		String path = request.getPath().pathWithinApplication().value();
		if (request.getURI().getRawQuery() == null || !(path.equals("/images") || path.startsWith("/images/"))) {
			return chain.filter(exchange);
		}
		return Problems.undefinedQueryParameter(request, known(request.getMethod(), path))
			.<Mono<Void>>map(Mono::error)
			.orElseGet(() -> chain.filter(exchange));
	}

	private static Set<String> known(HttpMethod method, String path) {
		if (HttpMethod.GET.equals(method) && path.equals("/images")) {
			return LISTING;
		}
		if (path.contains("/outputs/")) {
			return OUTPUT;
		}
		return Set.of();
	}

	/**
	 * Every {@code /images} operation may answer {@code 400} for a query parameter it
	 * does not define, or a header with a control character
	 * ({@link com.imagegateway.system.HeaderCheck}).
	 */
	@Bean
	@Order(0)
	static OpenApiCustomizer undefinedQueryParametersAreRefused() {
		return (openApi) -> openApi.getPaths().forEach((path, item) -> {
			if (!path.startsWith("/images")) {
				return;
			}
			item.readOperations().forEach((operation) -> {
				ApiResponse refused = operation.getResponses().get("400");
				if (refused == null) {
					// its body, a problem, is added with every other error's
					operation.getResponses().addApiResponse("400", new ApiResponse().description(REFUSED));
				}
				else {
					refused.description(refused.getDescription() + " Also: " + REFUSED);
				}
			});
		});
	}

	@Override
	public int getOrder() {
		// after the key check, so that a caller without a key learns that first; before
		// settled reads
		return Ordered.HIGHEST_PRECEDENCE + 15;
	}

}
