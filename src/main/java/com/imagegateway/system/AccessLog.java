package com.imagegateway.system;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * One structured line per request (client, operation, status, latency, trace id), written
 * when the request is done. Never the path's ids, the query or any header.
 */
@Component
class AccessLog implements WebFilter, Ordered {

	private static final Logger logger = LoggerFactory.getLogger("image-gateway.access");

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!logger.isInfoEnabled()) {
			return chain.filter(exchange);
		}
		long started = System.nanoTime();
		return chain.filter(exchange).doFinally((signal) -> log(exchange, (System.nanoTime() - started) / 1_000_000));
	}

	private static void log(ServerWebExchange exchange, long millis) {
		Map<String, Object> attributes = exchange.getAttributes();
		String client = GatewayRequestObservationConvention.client(attributes);
		String operation = GatewayRequestObservationConvention.operation(attributes);
		int status = (exchange.getResponse().getStatusCode() != null) ? exchange.getResponse().getStatusCode().value()
				: 0;
		// any token is a method to HTTP: bounded, as everything a caller sends
		String method = CallerText.safe(exchange.getRequest().getMethod().name());
		LoggingEventBuilder line = logger.atInfo()
			.addKeyValue("client", client)
			.addKeyValue("operation", operation)
			.addKeyValue("method", method)
			.addKeyValue("status", status)
			.addKeyValue("latencyMs", millis);
		RequestTrace.addTo(line, attributes).log("{} {} {} {} {}ms", client, operation, method, status, millis);
	}

	@Override
	public int getOrder() {
		// outermost, so that rejected requests are logged too
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
