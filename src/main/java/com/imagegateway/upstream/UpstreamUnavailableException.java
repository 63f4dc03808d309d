package com.imagegateway.upstream;

import java.time.Duration;
import java.util.List;

import com.imagegateway.system.GatewayException;

import org.springframework.http.HttpStatus;

/**
 * The gateway itself holds a call back: the circuit is open, or the upstream's quota is
 * used up.
 */
final class UpstreamUnavailableException extends GatewayException {

	private UpstreamUnavailableException(String code, String title, String detail, Duration retryAfter,
			Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, code, title, detail, List.of(), cause);
		withRetryAfter(retryAfter);
	}

	static UpstreamUnavailableException circuitOpen(Duration retryAfter, Throwable cause) {
		return new UpstreamUnavailableException("upstream_unavailable", "Upstream unavailable",
				"The model provider is failing; the gateway is not calling it for a while.", retryAfter, cause);
	}

	static UpstreamUnavailableException busy(Duration retryAfter, Throwable cause) {
		return new UpstreamUnavailableException("upstream_busy", "Upstream busy",
				"The gateway is at the model provider's request quota; try again shortly.", retryAfter, cause);
	}

}
