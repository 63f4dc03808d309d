package com.imagegateway.upstream;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import com.imagegateway.system.GatewayException;

import org.springframework.http.HttpStatus;

/**
 * An upstream call that failed, already translated into what the caller is told. What
 * happened upstream is kept for the resilience rules; the upstream's body never reaches
 * the caller except as the detail of a rejected input.
 */
public class UpstreamException extends GatewayException {

	private static final Duration DEFAULT_BUSY_RETRY = Duration.ofSeconds(5);

	/** What went wrong, as far as the retry and circuit breaker rules care. */
	public enum Failure {

		/** The upstream answered with an error status. */
		STATUS,

		/**
		 * No connection was established: the request provably never reached the upstream.
		 */
		NOT_CONNECTED,

		/** The connection broke after the request may have been sent. */
		CONNECTION_LOST,

		/** The upstream did not answer in time. */
		TIMEOUT,

		/** The upstream answered with a body the gateway cannot read. */
		BAD_RESPONSE

	}

	private final UpstreamOperation operation;

	private final Failure failure;

	private final int upstreamStatus;

	private final @Nullable Duration retryAfter;

	private UpstreamException(UpstreamOperation operation, Failure failure, int upstreamStatus,
			@Nullable Duration retryAfter, HttpStatus status, String code, String title, String detail,
			@Nullable Throwable cause) {
		super(status, code, title, detail, List.of(), cause);
		this.operation = operation;
		this.failure = failure;
		this.upstreamStatus = upstreamStatus;
		this.retryAfter = retryAfter;
	}

	public UpstreamOperation operation() {
		return this.operation;
	}

	public Failure failure() {
		return this.failure;
	}

	/** The upstream's HTTP status, or 0 when it gave none. */
	public int upstreamStatus() {
		return this.upstreamStatus;
	}

	/** The upstream's {@code Retry-After}, when it sent one. */
	public @Nullable Duration retryAfter() {
		return this.retryAfter;
	}

	/**
	 * Whether a create that failed this way provably started nothing upstream (nothing to
	 * pay): the gateway held it back (circuit open, quota used up), no connection was
	 * made, or the upstream refused it with a 4xx. After a timeout, a lost connection, an
	 * unreadable answer or a 5xx the job may exist upstream.
	 */
	public static boolean createdNothing(Throwable failure) {
		if (failure instanceof UpstreamUnavailableException) {
			return true;
		}
		return failure instanceof UpstreamException upstream
				&& (upstream.failure == Failure.NOT_CONNECTED || (upstream.failure == Failure.STATUS
						&& upstream.upstreamStatus >= 400 && upstream.upstreamStatus < 500));
	}

	/**
	 * Why a create that failed this way may go to another upstream key: only when it
	 * provably created nothing here and another account may well take it. The circuit is
	 * open ({@code circuit_open}), the gateway's share of the quota is used up
	 * ({@code quota}), no connection was made ({@code not_connected}) or the upstream
	 * answered 429 ({@code rate_limited}). Never after a timeout, a lost connection or a
	 * 5xx: the first job may exist, and would be paid for twice. Other 4xx answers would
	 * be the same elsewhere.
	 */
	public static Optional<String> failoverReason(Throwable failure) {
		if (failure instanceof UpstreamUnavailableException held) {
			return Optional.of(held.code().equals("upstream_unavailable") ? "circuit_open" : "quota");
		}
		if (failure instanceof UpstreamException upstream) {
			if (upstream.failure == Failure.NOT_CONNECTED) {
				return Optional.of("not_connected");
			}
			if (upstream.failure == Failure.STATUS && upstream.upstreamStatus == 429) {
				return Optional.of("rate_limited");
			}
		}
		return Optional.empty();
	}

	/**
	 * Whether the upstream is failing (as opposed to refusing this particular request).
	 */
	public boolean upstreamFault() {
		return this.failure != Failure.STATUS || this.upstreamStatus >= 500;
	}

	public static UpstreamException fromStatus(UpstreamOperation operation, int status, @Nullable String upstreamDetail,
			@Nullable Duration retryAfter) {
		boolean create = operation == UpstreamOperation.CREATE;
		if (create && (status == 400 || status == 422)) {
			return status(operation, status, retryAfter, HttpStatus.UNPROCESSABLE_CONTENT, "upstream_rejected_input",
					"Input rejected by the model provider",
					(upstreamDetail != null) ? upstreamDetail : "The model provider rejected the input.");
		}
		if (status == 401 || status == 403) {
			return status(operation, status, retryAfter, HttpStatus.BAD_GATEWAY, "upstream_auth_failed",
					"Upstream authentication failed",
					"The gateway's credentials for the model provider were refused; operators are alerted.");
		}
		if (status == 404) {
			return create
					? status(operation, status, retryAfter, HttpStatus.UNPROCESSABLE_CONTENT, "model_unavailable",
							"Model unavailable", "The model provider does not offer this model.")
					: status(operation, status, retryAfter, HttpStatus.NOT_FOUND, "not_found", "Not found",
							"The model provider no longer knows this job.");
		}
		if (status == 429) {
			UpstreamException busy = status(operation, status, retryAfter, HttpStatus.SERVICE_UNAVAILABLE,
					"upstream_busy", "Upstream busy", "The model provider is rationing requests; try again later.");
			busy.withRetryAfter((retryAfter != null) ? retryAfter : DEFAULT_BUSY_RETRY);
			return busy;
		}
		return status(operation, status, retryAfter, HttpStatus.BAD_GATEWAY, "upstream_error", "Upstream error",
				"The model provider failed (HTTP " + status + ").");
	}

	/** The upstream does not know the prediction (or, on create, the model). */
	public static UpstreamException notFound(UpstreamOperation operation) {
		return fromStatus(operation, 404, null, null);
	}

	static UpstreamException timeout(UpstreamOperation operation, Throwable cause) {
		return new UpstreamException(operation, Failure.TIMEOUT, 0, null, HttpStatus.GATEWAY_TIMEOUT,
				"upstream_timeout", "Upstream timeout", "The model provider did not answer in time.", cause);
	}

	static UpstreamException connection(UpstreamOperation operation, boolean connected, Throwable cause) {
		return new UpstreamException(operation, connected ? Failure.CONNECTION_LOST : Failure.NOT_CONNECTED, 0, null,
				HttpStatus.BAD_GATEWAY, "upstream_error", "Upstream error", "The model provider could not be reached.",
				cause);
	}

	static UpstreamException badResponse(UpstreamOperation operation, Throwable cause) {
		return new UpstreamException(operation, Failure.BAD_RESPONSE, 0, null, HttpStatus.BAD_GATEWAY,
				"upstream_bad_response", "Upstream bad response",
				"The model provider answered with something the gateway cannot read.", cause);
	}

	private static UpstreamException status(UpstreamOperation operation, int upstreamStatus,
			@Nullable Duration retryAfter, HttpStatus status, String code, String title, String detail) {
		return new UpstreamException(operation, Failure.STATUS, upstreamStatus, retryAfter, status, code, title, detail,
				null);
	}

}
