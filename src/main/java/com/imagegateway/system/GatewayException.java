package com.imagegateway.system;

import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A failure that the caller sees as an {@code application/problem+json} response with a
 * stable {@link #code()}. Messages must never contain a caller key or an upstream key.
 */
public class GatewayException extends RuntimeException {

	private final HttpStatus status;

	private final String code;

	private final String title;

	private final List<FieldProblem> errors;

	private final HttpHeaders headers = new HttpHeaders();

	public GatewayException(HttpStatus status, String code, String title, String detail) {
		this(status, code, title, detail, List.of(), null);
	}

	public GatewayException(HttpStatus status, String code, String title, String detail, List<FieldProblem> errors,
			Throwable cause) {
		super(detail, cause, false, false);
		this.status = status;
		this.code = code;
		this.title = title;
		this.errors = List.copyOf(errors);
	}

	public HttpStatus status() {
		return this.status;
	}

	public String code() {
		return this.code;
	}

	public String title() {
		return this.title;
	}

	public List<FieldProblem> errors() {
		return this.errors;
	}

	/**
	 * Headers the response must carry, such as {@code WWW-Authenticate} or
	 * {@code Retry-After}.
	 */
	public HttpHeaders headers() {
		return this.headers;
	}

	public GatewayException withHeader(String name, String value) {
		this.headers.set(name, value);
		return this;
	}

	/** Tells the caller when to try again, in whole seconds, never less than one. */
	public GatewayException withRetryAfter(Duration wait) {
		return withHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
	}

}
