package com.imagegateway.clients;

import reactor.core.publisher.Mono;

import com.imagegateway.system.ClientName;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Every {@code /images} request must carry {@code Authorization: Bearer <caller key>}; the
 * matching client travels on as an exchange attribute for {@link CallerArgumentResolver}.
 */
@Component
class CallerAuthenticationFilter implements WebFilter, Ordered {

	private static final String BEARER = "Bearer ";

	private final ClientRegistry registry;

	CallerAuthenticationFilter(ClientRegistry registry) {
		this.registry = registry;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (!path.equals("/images") && !path.startsWith("/images/")) {
			return chain.filter(exchange);
		}
		String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
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

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

}
