package com.imagegateway.system;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * One structured line per request (client, operation, status, latency, trace id), written
 * when the request's observation stops. Never the path's ids, the query or any header.
 */
@Component
class AccessLog implements ObservationHandler<ServerRequestObservationContext> {

	private static final Logger logger = LoggerFactory.getLogger("image-gateway.access");

	@Override
	public void onStart(ServerRequestObservationContext context) {
		context.put(Started.class, new Started(System.nanoTime()));
	}

	@Override
	public void onStop(ServerRequestObservationContext context) {
		if (!logger.isInfoEnabled()) {
			return;
		}
		Started started = context.get(Started.class);
		long millis = (started != null) ? (System.nanoTime() - started.nanos()) / 1_000_000 : -1;
		int status = (context.getResponse() != null && context.getResponse().getStatusCode() != null)
				? context.getResponse().getStatusCode().value() : 0;
		String client = GatewayRequestObservationConvention.client(context);
		String operation = GatewayRequestObservationConvention.operation(context);
		TracingObservationHandler.TracingContext tracing = context.get(TracingObservationHandler.TracingContext.class);
		String traceId = (tracing != null && tracing.getSpan() != null) ? tracing.getSpan().context().traceId() : "";
		logger.atInfo()
			.addKeyValue("client", client)
			.addKeyValue("operation", operation)
			.addKeyValue("method", context.getCarrier().getMethod().name())
			.addKeyValue("status", status)
			.addKeyValue("latencyMs", millis)
			.addKeyValue("traceId", traceId)
			.log("{} {} {} {} {}ms", client, operation, context.getCarrier().getMethod().name(), status, millis);
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof ServerRequestObservationContext;
	}

	private record Started(long nanos) {
	}

}
