package com.imagegateway.system;

import java.util.Map;

import io.micrometer.tracing.handler.TracingObservationHandler;
import org.slf4j.MDC;
import org.slf4j.spi.LoggingEventBuilder;

import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * The trace id of a request, for its log lines. Reactor restores the tracing context on a
 * thread only where asked ({@code spring.reactor.context-propagation: limited}: restoring
 * it on every operator hop cost a tenth of a request's CPU), so a line written from a
 * reactive chain names its trace from the exchange itself.
 */
final class RequestTrace {

	static final String TRACE_ID = "traceId";

	private RequestTrace() {
	}

	/** Adds {@code traceId} unless the thread's MDC already carries it. */
	static LoggingEventBuilder addTo(LoggingEventBuilder line, Map<String, Object> exchangeAttributes) {
		return (MDC.get(TRACE_ID) != null) ? line : line.addKeyValue(TRACE_ID, id(exchangeAttributes));
	}

	private static String id(Map<String, Object> exchangeAttributes) {
		return ServerRequestObservationContext.findCurrent(exchangeAttributes)
			.map((context) -> context.<TracingObservationHandler.TracingContext>get(
					TracingObservationHandler.TracingContext.class))
			.filter((tracing) -> tracing.getSpan() != null)
			.map((tracing) -> tracing.getSpan().context().traceId())
			.orElse("");
	}

}
