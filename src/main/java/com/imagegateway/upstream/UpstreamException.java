package com.imagegateway.upstream;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import com.imagegateway.system.GatewayException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * An upstream call that failed, already translated into what the caller is told. The
 * upstream's own status is kept for the resilience rules; its body never reaches the
 * caller except as the detail of a rejected input.
 */
public class UpstreamException extends GatewayException {

	private static final Duration DEFAULT_BUSY_RETRY = Duration.ofSeconds(5);

	private final UpstreamOperation operation;

	private final int upstreamStatus;

	private UpstreamException(UpstreamOperation operation, int upstreamStatus, HttpStatus status, String code,
			String title, String detail, @Nullable Throwable cause) {
		super(status, code, title, detail, List.of(), cause);
		this.operation = operation;
		this.upstreamStatus = upstreamStatus;
	}

	public UpstreamOperation operation() {
		return this.operation;
	}

	/** The upstream's HTTP status, or 0 when it gave none (timeout, connection failure, bad body). */
	public int upstreamStatus() {
		return this.upstreamStatus;
	}

	static UpstreamException fromStatus(UpstreamOperation operation, int status, @Nullable String upstreamDetail,
			@Nullable Duration retryAfter) {
		boolean create = operation == UpstreamOperation.CREATE;
		if (create && (status == 400 || status == 422)) {
			return new UpstreamException(operation, status, HttpStatus.UNPROCESSABLE_CONTENT, "upstream_rejected_input",
					"Input rejected by the model provider",
					(upstreamDetail != null) ? upstreamDetail : "The model provider rejected the input.", null);
		}
		if (status == 401 || status == 403) {
			return new UpstreamException(operation, status, HttpStatus.BAD_GATEWAY, "upstream_auth_failed",
					"Upstream authentication failed",
					"The gateway's credentials for the model provider were refused; operators are alerted.", null);
		}
		if (status == 404) {
			return create
					? new UpstreamException(operation, status, HttpStatus.UNPROCESSABLE_CONTENT, "model_unavailable",
							"Model unavailable", "The model provider does not offer this model.", null)
					: new UpstreamException(operation, status, HttpStatus.NOT_FOUND, "not_found", "Not found",
							"The model provider no longer knows this job.", null);
		}
		if (status == 429) {
			Duration wait = (retryAfter != null) ? retryAfter : DEFAULT_BUSY_RETRY;
			UpstreamException busy = new UpstreamException(operation, status, HttpStatus.SERVICE_UNAVAILABLE,
					"upstream_busy", "Upstream busy", "The model provider is rationing requests; try again later.",
					null);
			busy.withHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, wait.toSeconds())));
			return busy;
		}
		return new UpstreamException(operation, status, HttpStatus.BAD_GATEWAY, "upstream_error", "Upstream error",
				"The model provider failed (HTTP " + status + ").", null);
	}

	/** The upstream does not know the prediction (or, on create, the model). */
	public static UpstreamException notFound(UpstreamOperation operation) {
		return fromStatus(operation, 404, null, null);
	}

	static UpstreamException timeout(UpstreamOperation operation, Throwable cause) {
		return new UpstreamException(operation, 0, HttpStatus.GATEWAY_TIMEOUT, "upstream_timeout", "Upstream timeout",
				"The model provider did not answer in time.", cause);
	}

	static UpstreamException unreachable(UpstreamOperation operation, Throwable cause) {
		return new UpstreamException(operation, 0, HttpStatus.BAD_GATEWAY, "upstream_error", "Upstream error",
				"The model provider could not be reached.", cause);
	}

	static UpstreamException badResponse(UpstreamOperation operation, Throwable cause) {
		return new UpstreamException(operation, 0, HttpStatus.BAD_GATEWAY, "upstream_bad_response",
				"Upstream bad response", "The model provider answered with something the gateway cannot read.", cause);
	}

}
