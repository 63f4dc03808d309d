package com.imagegateway.clients;

import reactor.core.publisher.Mono;

import com.imagegateway.system.ClientName;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Every {@code /images}, {@code /usage} and {@code /v1} (OpenAI's API) request must carry
 * {@code Authorization: Bearer <caller key>}, except a signed output link; the matching
 * client travels on as an exchange attribute for {@link CallerArgumentResolver}.
 */
@Component
class CallerAuthenticationFilter implements WebFilter, Ordered {

	private static final String BEARER = "Bearer ";

	/** The query parameter of a signed output link. */
	private static final String SIGNATURE = "signature";

	private final ClientRegistry registry;

	CallerAuthenticationFilter(ClientRegistry registry) {
		this.registry = registry;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (!path.equals("/images") && !path.startsWith("/images/") && !path.equals("/usage")
				&& !path.startsWith("/v1/")) {
			return chain.filter(exchange);
		}
		String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (authorization == null && signedOutput(exchange, path)) {
			// a signed output link stands in for the key; its controller checks the
			// signature
			return chain.filter(exchange);
		}
		if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return Mono.error(new UnauthorizedException("Send your key as 'Authorization: Bearer <key>'."));
		}
		String key = authorization.substring(BEARER.length()).strip();
		return this.registry.authenticate(key).map((client) -> {
			exchange.getAttributes().put(GatewayClient.ATTRIBUTE, client);
			exchange.getAttributes().put(ClientName.ATTRIBUTE, client.name());
			return chain.filter(exchange);
		}).orElseGet(() -> Mono.error(new UnauthorizedException("The key is not valid.")));
	}

	private static boolean signedOutput(ServerWebExchange exchange, String path) {
		// an empty signature is none: the caller is told to send a key (401), not that a
		// signature is wrong
		return path.contains("/outputs/")
				&& StringUtils.hasText(exchange.getRequest().getQueryParams().getFirst(SIGNATURE));
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

}
