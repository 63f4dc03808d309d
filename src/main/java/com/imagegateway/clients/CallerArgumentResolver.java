package com.imagegateway.clients;

import reactor.core.publisher.Mono;

import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;

/** Hands the authenticated {@link GatewayClient} to handler methods that declare it. */
class CallerArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == GatewayClient.class;
	}

	@Override
	public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext context, ServerWebExchange exchange) {
		GatewayClient client = exchange.getAttribute(GatewayClient.ATTRIBUTE);
		if (client == null) {
			return Mono.error(new IllegalStateException("Handler for an unauthenticated path asked for the client"));
		}
		return Mono.just(client);
	}

}
