package com.imagegateway.openai;

import com.imagegateway.system.ErrorFormat;
import com.imagegateway.system.GatewayException;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Errors under {@code /v1} in OpenAI's shape, so that its SDKs raise their own exception
 * types (they pick them by status): the gateway's problem code, except OpenAI's own
 * {@code invalid_api_key} and {@code rate_limit_exceeded} where its clients look for
 * them.
 */
@Component
class OpenAiErrors implements ErrorFormat {

	static final String PREFIX = "/v1/";

	@Override
	public boolean appliesTo(String path) {
		return path.startsWith(PREFIX);
	}

	@Override
	public Object body(GatewayException problem, ServerWebExchange exchange) {
		// OpenAI names its fields in snake case; a bound record's errors name the Java
		// ones
		String param = problem.errors().isEmpty() ? null : snake(problem.errors().getFirst().field());
		String message = problem.errors().isEmpty() ? problem.getMessage()
				: param + " " + problem.errors().getFirst().message();
		return new OpenAiError(new OpenAiError.Detail(message, type(problem), param, code(problem)));
	}

	@Override
	public MediaType contentType() {
		return MediaType.APPLICATION_JSON;
	}

	@Override
	public Class<?> schema() {
		return OpenAiError.class;
	}

	private static String snake(String field) {
		return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
	}

	private static String type(GatewayException problem) {
		return switch (problem.status().value()) {
			case 401 -> "authentication_error";
			case 403 -> "permission_error";
			case 404 -> "not_found_error";
			case 429 -> "rate_limit_error";
			default -> problem.status().is5xxServerError() ? "server_error" : "invalid_request_error";
		};
	}

	private static String code(GatewayException problem) {
		return switch (problem.code()) {
			case "unauthorized" -> "invalid_api_key";
			case "rate_limited" -> "rate_limit_exceeded";
			default -> problem.code();
		};
	}

}
