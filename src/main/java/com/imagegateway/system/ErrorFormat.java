package com.imagegateway.system;

import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;

/**
 * How an API the gateway speaks besides its own shapes its errors (OpenAI's, under
 * {@code /v1}): {@link ProblemResponseHandler} renders a failure with the first format
 * that applies to the request, else as {@code application/problem+json}. The status,
 * headers and code are the same either way, and the OpenAPI document describes the path's
 * errors with {@link #schema()}.
 */
public interface ErrorFormat {

	/** Whether the format shapes the errors of this path (within the application). */
	boolean appliesTo(String path);

	/** The body for {@code problem}, serialized as JSON. */
	Object body(GatewayException problem, ServerWebExchange exchange);

	MediaType contentType();

	/**
	 * The type of {@link #body}, which the OpenAPI document names for the path's errors.
	 */
	Class<?> schema();

}
