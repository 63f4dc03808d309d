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
 * Adds the caller's client, the API operation (its OpenAPI {@code operationId}), the
 * problem's {@code code} of an error answer and whether the request was {@code held} on
 * purpose (a {@code Prefer: wait}, an event stream, OpenAI's generations) to the
 * {@code http.server.requests} metrics and traces. All are bounded: configured client
 * names, the operations and problem codes the gateway defines, and a boolean. Dashboards
 * count errors by code, and the latency alert leaves held requests out: their duration is
 * the job's, not the gateway's.
 */
@Component
public class GatewayRequestObservationConvention extends DefaultServerRequestObservationConvention {

	static final String NONE = "none";

	private static final String OPERATION = GatewayRequestObservationConvention.class.getName() + ".operation";

	private static final String CODE = GatewayRequestObservationConvention.class.getName() + ".code";

	private static final String HELD = GatewayRequestObservationConvention.class.getName() + ".held";

	/** Handler methods are few and fixed: their operation ids are looked up once each. */
	private static final Map<Method, String> OPERATIONS = new ConcurrentHashMap<>();

	@Override
	public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
		Map<String, Object> attributes = context.getAttributes();
		return super.getLowCardinalityKeyValues(context).and(KeyValue.of("client", client(attributes)),
				KeyValue.of("operation", operation(attributes)),
				KeyValue.of("code", (attributes.get(CODE) instanceof String code) ? code : NONE),
				KeyValue.of("held", Boolean.toString(attributes.containsKey(HELD))));
	}

	/** The answer is the problem {@code code}: {@code store_unavailable}, say. */
	static void code(Map<String, Object> attributes, String code) {
		attributes.put(CODE, code);
	}

	/**
	 * The request is held until a job ends or streams its events: its latency is the
	 * job's.
	 */
	public static void held(Map<String, Object> attributes) {
		attributes.put(HELD, Boolean.TRUE);
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
