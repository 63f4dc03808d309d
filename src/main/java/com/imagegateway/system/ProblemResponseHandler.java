package com.imagegateway.system;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;

/**
 * The one place where failures become {@code application/problem+json}: exceptions from
 * filters, handlers and the framework's own request binding all end up here, ahead of
 * Spring Boot's default error handler.
 */
@Component
@Order(-2)
class ProblemResponseHandler implements WebExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ProblemResponseHandler.class);

	private final JsonMapper jsonMapper;

	private final List<ErrorFormat> formats;

	ProblemResponseHandler(JsonMapper jsonMapper, List<ErrorFormat> formats) {
		this.jsonMapper = jsonMapper;
		this.formats = List.copyOf(formats);
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.error(failure);
		}
		GatewayException problem = toGatewayException(failure);
		log(exchange, problem, failure);
		GatewayRequestObservationConvention.code(exchange.getAttributes(), problem.code());
		ErrorFormat format = format(exchange);
		Object body = (format != null) ? format.body(problem, exchange)
				: new Problem(problem.status().value(), problem.title(), problem.getMessage(),
						exchange.getRequest().getPath().value(), problem.code(), problem.errors());
		byte[] bytes = this.jsonMapper.writeValueAsBytes(body);
		response.setStatusCode(problem.status());
		HttpHeaders headers = response.getHeaders();
		headers.addAll(problem.headers());
		headers.setContentType((format != null) ? format.contentType() : MediaType.APPLICATION_PROBLEM_JSON);
		headers.setContentLength(bytes.length);
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(bytes)));
	}

	private @Nullable ErrorFormat format(ServerWebExchange exchange) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		for (ErrorFormat format : this.formats) {
			if (format.appliesTo(path)) {
				return format;
			}
		}
		return null;
	}

	/**
	 * 4xx at WARN without a stack trace. Upstream trouble is expected in operation: WARN
	 * with what failed, except refused credentials, which an operator must fix (ERROR).
	 * Anything else is a gateway bug: ERROR with the stack trace.
	 */
	private static void log(ServerWebExchange exchange, GatewayException problem, Throwable failure) {
		String line = CallerText.safe(exchange.getRequest().getMethod().name()) + " "
				+ CallerText.safe(exchange.getRequest().getPath().value()) + " -> " + problem.status().value() + " "
				+ problem.code();
		Throwable cause = (failure != problem) ? failure : problem.getCause();
		Map<String, Object> attributes = exchange.getAttributes();
		if (!problem.status().is5xxServerError()) {
			RequestTrace.addTo(logger.atWarn(), attributes).log(line + ": " + problem.getMessage());
		}
		else if ("upstream_auth_failed".equals(problem.code())) {
			RequestTrace.addTo(logger.atError(), attributes)
				.log(line + ": the upstream refused the gateway's key; check gateway.upstream.keys");
		}
		else if (problem.status() != HttpStatus.INTERNAL_SERVER_ERROR) {
			RequestTrace.addTo(logger.atWarn(), attributes)
				.log(line + ((cause != null) ? ": " + cause.getClass().getSimpleName() : ""));
		}
		else {
			RequestTrace.addTo(logger.atError(), attributes).setCause(cause).log(line);
		}
	}

	static GatewayException toGatewayException(Throwable failure) {
		return switch (failure) {
			case GatewayException gateway -> gateway;
			case WebExchangeBindException binding -> Problems.invalidFields(oneEach(binding.getFieldErrors()));
			case ServerWebInputException input -> fromUnreadableInput(input);
			case UnsupportedMediaTypeStatusException media ->
				new GatewayException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
						"Unsupported media type", "Send the request body as " + MediaType.APPLICATION_JSON_VALUE + ".");
			case NotAcceptableStatusException accept ->
				new GatewayException(HttpStatus.NOT_ACCEPTABLE, "not_acceptable", "Not acceptable",
						"This endpoint answers with " + MediaType.APPLICATION_JSON_VALUE + ".");
			case MethodNotAllowedException method ->
				new GatewayException(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "Method not allowed",
						CallerText.safe(method.getHttpMethod()) + " is not supported here.")
					.withHeader(HttpHeaders.ALLOW, String.join(", ",
							method.getSupportedMethods().stream().map(Object::toString).sorted().toList()));
			case ResponseStatusException status when status.getStatusCode().value() == 404 -> Problems.notFound();
			case ResponseStatusException status when status.getStatusCode().value() == 413 ->
				Problems.payloadTooLarge();
			case ResponseStatusException status -> new GatewayException(
					HttpStatus.valueOf(status.getStatusCode().value()), "http_" + status.getStatusCode().value(),
					HttpStatus.valueOf(status.getStatusCode().value()).getReasonPhrase(), status.getReason());
			default -> new GatewayException(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "Internal error",
					"The gateway failed unexpectedly; the failure is logged.", List.of(), failure);
		};
	}

	/** One problem per field: a blank prompt is not also too short. */
	private static List<FieldProblem> oneEach(List<FieldError> errors) {
		Map<String, FieldProblem> problems = new LinkedHashMap<>();
		for (FieldError error : errors) {
			problems.putIfAbsent(error.getField(), new FieldProblem(error.getField(),
					Objects.requireNonNullElse(error.getDefaultMessage(), "is invalid")));
		}
		return List.copyOf(problems.values());
	}

	private static GatewayException fromUnreadableInput(ServerWebInputException input) {
		Throwable cause = input;
		while (cause != null) {
			switch (cause) {
				case DataBufferLimitException tooLarge -> {
					return Problems.payloadTooLarge();
				}
				case TypeMismatchException mismatch when input.getMethodParameter() != null -> {
					return Problems.invalidFields(List.of(new FieldProblem(parameterName(input.getMethodParameter()),
							"must be " + describe(mismatch.getRequiredType()))));
				}
				case UnrecognizedPropertyException unknown -> {
					return Problems.invalidFields(List.of(new FieldProblem(path(unknown), "is not a known field")));
				}
				case MismatchedInputException mismatch -> {
					return Problems.invalidFields(
							List.of(new FieldProblem(path(mismatch), "must be " + describe(mismatch.getTargetType()))));
				}
				case StreamReadException malformed -> {
					return new GatewayException(HttpStatus.BAD_REQUEST, "malformed_json", "Malformed JSON",
							"The request body is not valid JSON.");
				}
				default -> cause = cause.getCause();
			}
		}
		return new GatewayException(HttpStatus.BAD_REQUEST, "invalid_request", "Invalid request",
				(input.getReason() != null) ? input.getReason() : "The request could not be read.");
	}

	/**
	 * The name a caller uses for a handler's parameter: the query or header name, not the
	 * Java one.
	 */
	private static String parameterName(MethodParameter parameter) {
		RequestParam query = parameter.getParameterAnnotation(RequestParam.class);
		if (query != null && !query.name().isEmpty()) {
			return query.name();
		}
		RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
		if (header != null && !header.name().isEmpty()) {
			return header.name();
		}
		return (parameter.getParameterName() != null) ? parameter.getParameterName() : "(parameter)";
	}

	private static String path(JacksonException failure) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : failure.getPath()) {
			if (reference.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.isEmpty() ? "(body)" : path.toString();
	}

	private static String describe(@Nullable Class<?> type) {
		if (type == null) {
			return "of another type";
		}
		if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
			return "a number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "a boolean";
		}
		if (type == String.class || type.isEnum()) {
			return "a string";
		}
		if (java.util.Map.class.isAssignableFrom(type)) {
			return "an object";
		}
		if (java.util.Collection.class.isAssignableFrom(type)) {
			return "an array";
		}
		return "an object";
	}

}
