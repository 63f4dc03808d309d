package com.imagegateway.system;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.swagger.v3.oas.annotations.Operation;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.HandlerMapping;

/**
 * Adds the caller's client and the API operation (its OpenAPI {@code operationId}) to the
 * {@code http.server.requests} metrics and traces. Both are bounded: configured client
 * names, and the operations the gateway defines.
 */
@Component
public class GatewayRequestObservationConvention extends DefaultServerRequestObservationConvention {

	static final String NONE = "none";

	private static final String OPERATION = GatewayRequestObservationConvention.class.getName() + ".operation";

	/** Handler methods are few and fixed: their operation ids are looked up once each. */
	private static final Map<Method, String> OPERATIONS = new ConcurrentHashMap<>();

	@Override
	public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
		return super.getLowCardinalityKeyValues(context).and(KeyValue.of("client", client(context)),
				KeyValue.of("operation", operation(context)));
	}

	static String client(ServerRequestObservationContext context) {
		return client(context.getAttributes());
	}

	static String operation(ServerRequestObservationContext context) {
		return operation(context.getAttributes());
	}

	static String client(Map<String, Object> attributes) {
		return ClientName.of(attributes, NONE);
	}

	/**
	 * For a request answered before the handler mapping, which would otherwise name its
	 * operation.
	 */
	public static void operation(Map<String, Object> attributes, String operationId) {
		attributes.put(OPERATION, operationId);
	}

	static String operation(Map<String, Object> attributes) {
		if (attributes.get(OPERATION) instanceof String operationId) {
			return operationId;
		}
		if (attributes.get(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE) instanceof HandlerMethod handler) {
			return OPERATIONS.computeIfAbsent(handler.getMethod(), (method) -> {
				Operation operation = AnnotatedElementUtils.findMergedAnnotation(method, Operation.class);
				return (operation != null && !operation.operationId().isEmpty()) ? operation.operationId() : NONE;
			});
		}
		return NONE;
	}

}
