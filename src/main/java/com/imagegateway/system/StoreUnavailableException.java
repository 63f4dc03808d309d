package com.imagegateway.system;

import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * The shared store (Redis) did not answer in time or could not be reached: {@code 503
 * store_unavailable} with {@code Retry-After}. The message never carries the store's
 * address or credentials.
 */
public class StoreUnavailableException extends GatewayException {

	public static final String DETAIL = "The gateway cannot reach its job store right now; nothing was sent to the "
			+ "model provider. Try again shortly.";

	private final Duration retryAfter;

	public StoreUnavailableException(String detail, Duration retryAfter, Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, "store_unavailable", "Store unavailable", detail, List.of(), cause);
		this.retryAfter = retryAfter;
		withRetryAfter(retryAfter);
	}

	/** The same failure, told to the caller in other words. */
	public StoreUnavailableException withDetail(String detail) {
		return new StoreUnavailableException(detail, this.retryAfter, getCause());
	}

}
