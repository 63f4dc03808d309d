package com.imagegateway.upstream;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * One upstream key's calls, protected. The order, from the caller inwards: the deadline,
 * retry (creates and cancels), the upstream's rate limit, the circuit breaker, the
 * bulkhead, then one timed attempt. So a retry waits for a permit again, a rejected
 * permit never counts against the circuit, and the bulkhead bounds only calls actually in
 * flight.
 */
final class ResilientPredictions implements Predictions {

	private final Predictions upstream;

	private final Map<UpstreamOperation, Retry> retries;

	private final UnaryOperator<Mono<Prediction>> quota;

	private final CircuitBreaker circuitBreaker;

	private final Bulkhead bulkhead;

	private final Duration deadline;

	private final Duration waitInOpenState;

	private final Duration rateLimitPeriod;

	/**
	 * @param quota takes a permit of the upstream's quota before the call goes ahead: the
	 * local limiter's operator, or the shared quota's
	 */
	ResilientPredictions(Predictions upstream, Map<UpstreamOperation, Retry> retries, RateLimiter rateLimiter,
			UnaryOperator<Mono<Prediction>> quota, CircuitBreaker circuitBreaker, Bulkhead bulkhead, Duration deadline,
			Duration waitInOpenState) {
		this.upstream = upstream;
		this.retries = new EnumMap<>(retries);
		this.quota = quota;
		this.circuitBreaker = circuitBreaker;
		this.bulkhead = bulkhead;
		this.deadline = deadline;
		this.waitInOpenState = waitInOpenState;
		this.rateLimitPeriod = rateLimiter.getRateLimiterConfig().getLimitRefreshPeriod();
	}

	@Override
	public Mono<Prediction> create(PredictionRequest request) {
		return protect(UpstreamOperation.CREATE, () -> this.upstream.create(request));
	}

	/**
	 * One attempt, not retried: reads come from the tracker, whose next check is the
	 * retry, so a faulty upstream gets no burst of repeated reads and a check costs one
	 * call's machinery.
	 */
	@Override
	public Mono<Prediction> get(String id) {
		return guarded(() -> this.upstream.get(id)).onErrorMap((failure) -> translate(UpstreamOperation.READ, failure));
	}

	@Override
	public Mono<Prediction> cancel(String id) {
		return protect(UpstreamOperation.CANCEL, () -> this.upstream.cancel(id));
	}

	/**
	 * Output files come from the upstream's file host, not its API: its quota and circuit
	 * do not apply.
	 */
	@Override
	public Flux<DataBuffer> output(String url) {
		return this.upstream.output(url);
	}

	private Mono<Prediction> protect(UpstreamOperation operation, Supplier<Mono<Prediction>> call) {
		return guarded(call).transformDeferred(RetryOperator.of(this.retries.get(operation)))
			.timeout(this.deadline)
			.onErrorMap((failure) -> translate(operation, failure));
	}

	private Mono<Prediction> guarded(Supplier<Mono<Prediction>> call) {
		return Mono.defer(call)
			.transformDeferred(BulkheadOperator.of(this.bulkhead))
			.transformDeferred(CircuitBreakerOperator.of(this.circuitBreaker))
			.transformDeferred(this.quota);
	}

	private Throwable translate(UpstreamOperation operation, Throwable failure) {
		return switch (failure) {
			case CallNotPermittedException open -> UpstreamUnavailableException.circuitOpen(this.waitInOpenState, open);
			case RequestNotPermitted quota -> UpstreamUnavailableException.busy(this.rateLimitPeriod, quota);
			case BulkheadFullException full -> UpstreamUnavailableException.busy(Duration.ofSeconds(1), full);
			case TimeoutException deadline -> UpstreamException.timeout(operation, deadline);
			default -> failure;
		};
	}

}
