package com.imagegateway.upstream;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the gateway protects itself and the upstream around every upstream call.
 *
 * @param timeouts how long each call may take
 * @param retry when and how often a failed call is tried again
 * @param circuitBreaker when to stop calling a failing upstream key for a while
 * @param bulkhead how many calls may be in flight to one upstream key at once
 */
@Validated
@ConfigurationProperties("gateway.upstream.resilience")
public record ResilienceProperties(@Valid @DefaultValue Timeouts timeouts, @Valid @DefaultValue Retry retry,
		@Valid @DefaultValue CircuitBreaker circuitBreaker, @Valid @DefaultValue Bulkhead bulkhead) {

	/**
	 * @param connect time to establish a TCP connection
	 * @param create time for the upstream to answer a create
	 * @param read time for the upstream to answer a read
	 * @param cancel time for the upstream to answer a cancel
	 */
	public record Timeouts(@NotNull @DefaultValue("2s") Duration connect, @NotNull @DefaultValue("15s") Duration create,
			@NotNull @DefaultValue("5s") Duration read, @NotNull @DefaultValue("5s") Duration cancel) {

		Duration of(UpstreamOperation operation) {
			return switch (operation) {
				case CREATE -> this.create;
				case READ -> this.read;
				case CANCEL -> this.cancel;
			};
		}

	}

	/**
	 * @param maxAttempts attempts in all, the first included
	 * @param initialBackoff wait before the second attempt
	 * @param multiplier growth of the wait for each further attempt
	 * @param maxBackoff longest wait between attempts
	 * @param jitter random share of each wait, 0 to 1, so that replicas do not retry in
	 * step
	 * @param maxRetryAfter longest upstream {@code Retry-After} the gateway waits out
	 * itself; beyond it the caller is told to come back
	 * @param deadline the most one caller's call may take, all attempts and waits
	 * included
	 */
	public record Retry(@Min(1) @DefaultValue("3") int maxAttempts,
			@NotNull @DefaultValue("200ms") Duration initialBackoff,
			@DecimalMin("1.0") @DefaultValue("2.0") double multiplier, @NotNull @DefaultValue("2s") Duration maxBackoff,
			@DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.5") double jitter,
			@NotNull @DefaultValue("5s") Duration maxRetryAfter, @NotNull @DefaultValue("30s") Duration deadline) {
	}

	/**
	 * @param failureRateThreshold percentage of failed calls that opens the circuit
	 * @param slowCallDurationThreshold a call slower than this counts as slow
	 * @param slowCallRateThreshold percentage of slow calls that opens the circuit
	 * @param slidingWindowSize how many recent calls are judged
	 * @param minimumNumberOfCalls calls needed before the circuit may open
	 * @param waitInOpenState how long an open circuit rejects calls before trying again
	 * @param permittedCallsInHalfOpenState trial calls that decide whether to close again
	 */
	public record CircuitBreaker(@DecimalMin("1") @DecimalMax("100") @DefaultValue("50") float failureRateThreshold,
			@NotNull @DefaultValue("10s") Duration slowCallDurationThreshold,
			@DecimalMin("1") @DecimalMax("100") @DefaultValue("80") float slowCallRateThreshold,
			@Min(1) @DefaultValue("20") int slidingWindowSize, @Min(1) @DefaultValue("10") int minimumNumberOfCalls,
			@NotNull @DefaultValue("30s") Duration waitInOpenState,
			@Min(1) @DefaultValue("3") int permittedCallsInHalfOpenState) {
	}

	/**
	 * A call over the bulkhead is refused at once ({@code upstream_busy}): Resilience4j's
	 * bulkhead waits for a slot by blocking its thread, and here that thread is an event
	 * loop.
	 *
	 * @param maxConcurrentCalls calls in flight to one upstream key at once; also sizes
	 * the upstream connection pool
	 */
	public record Bulkhead(@Min(1) @DefaultValue("64") int maxConcurrentCalls) {
	}

}
