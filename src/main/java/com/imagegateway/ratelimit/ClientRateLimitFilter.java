package com.imagegateway.ratelimit;

import reactor.core.publisher.Mono;

import com.imagegateway.clients.GatewayClient;
import com.imagegateway.system.GatewayException;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Applies each client's rate limits right after authentication, before any body is read
 * or any upstream call is made: {@code POST /images} and OpenAI's
 * {@code POST /v1/images/generations} count as a create, every other call of a client as
 * a read. Answers carry the {@code RateLimit-*} headers.
 */
@Component
class ClientRateLimitFilter implements WebFilter, Ordered {

	static final String LIMIT = "RateLimit-Limit";

	static final String REMAINING = "RateLimit-Remaining";

	static final String RESET = "RateLimit-Reset";

	private final ClientRateLimits limits;

	ClientRateLimitFilter(ClientRateLimits limits) {
		this.limits = limits;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		GatewayClient client = GatewayClient.of(exchange.getAttributes()).orElse(null);
		if (client == null) {
			return chain.filter(exchange);
		}
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		boolean create = exchange.getRequest().getMethod() == HttpMethod.POST
				&& (path.equals("/images") || path.equals("/v1/images/generations"));
		return this.limits.acquire(client, create ? ClientRateLimits.Kind.CREATES : ClientRateLimits.Kind.READS)
			.flatMap((decision) -> {
				if (decision.limited()) {
					HttpHeaders headers = exchange.getResponse().getHeaders();
					headers.set(LIMIT, Integer.toString(decision.limit()));
					headers.set(REMAINING, Integer.toString(decision.remaining()));
					headers.set(RESET, Long.toString(decision.resetSeconds()));
				}
				if (!decision.permitted()) {
					return Mono.error(new GatewayException(HttpStatus.TOO_MANY_REQUESTS, "rate_limited", "Rate limited",
							"Your client made more " + (create ? "creates" : "reads") + " than its limit of "
									+ decision.limit() + " per period.")
						.withRetryAfter(decision.reset()));
				}
				return chain.filter(exchange);
			});
	}

	@Override
	public int getOrder() {
		// right after CallerAuthenticationFilter
		return Ordered.HIGHEST_PRECEDENCE + 20;
	}

}
