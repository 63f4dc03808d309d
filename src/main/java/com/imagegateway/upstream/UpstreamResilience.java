package com.imagegateway.upstream;

import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.reactor.ratelimiter.operator.RateLimiterOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import com.imagegateway.upstream.UpstreamException.Failure;

/**
 * The retry and circuit breaker rules, and the Resilience4j instances for each upstream
 * key. This is the one place that says which failures are retried and which open the
 * circuit.
 */
public final class UpstreamResilience {

	/**
	 * Upstream statuses that say "not now" rather than "no": reads and cancels retry
	 * them.
	 */
	private static final Set<Integer> TRANSIENT_STATUSES = Set.of(429, 502, 503, 504);

	private final ResilienceProperties properties;

	private final UpstreamProperties.Limits limits;

	private final CircuitBreakerRegistry circuitBreakers;

	private final RetryRegistry retries;

	private final BulkheadRegistry bulkheads;

	private final RateLimiterRegistry rateLimiters;

	private final @Nullable SharedUpstreamQuota sharedQuota;

	UpstreamResilience(ResilienceProperties properties, UpstreamProperties.Limits limits,
			@Nullable SharedUpstreamQuota sharedQuota) {
		this.properties = properties;
		this.sharedQuota = sharedQuota;
		this.limits = limits;
		this.circuitBreakers = CircuitBreakerRegistry.of(circuitBreakerConfig(properties.circuitBreaker()));
		this.retries = RetryRegistry.ofDefaults();
		this.bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
			.maxConcurrentCalls(properties.bulkhead().maxConcurrentCalls())
			.maxWaitDuration(Duration.ZERO)
			.build());
		this.rateLimiters = RateLimiterRegistry.of(RateLimiterConfig.custom()
			.limitForPeriod(limits.permits())
			.limitRefreshPeriod(limits.period())
			.timeoutDuration(limits.maxWait())
			.build());
	}

	public CircuitBreakerRegistry circuitBreakers() {
		return this.circuitBreakers;
	}

	public RetryRegistry retries() {
		return this.retries;
	}

	public BulkheadRegistry bulkheads() {
		return this.bulkheads;
	}

	public RateLimiterRegistry rateLimiters() {
		return this.rateLimiters;
	}

	/**
	 * The upstream behind this key, protected by its own circuit, bulkhead, quota and
	 * retries.
	 */
	Predictions protect(String upstreamKey, Predictions upstream) {
		String name = "upstream-" + upstreamKey;
		Map<UpstreamOperation, Retry> byOperation = new EnumMap<>(UpstreamOperation.class);
		// reads are not retried: the tracker's next check is their retry
		for (UpstreamOperation operation : EnumSet.of(UpstreamOperation.CREATE, UpstreamOperation.CANCEL)) {
			byOperation.put(operation,
					this.retries.retry(name + "-" + operation.name().toLowerCase(Locale.ROOT), retryConfig(operation)));
		}
		RateLimiter localQuota = this.rateLimiters.rateLimiter(name);
		UnaryOperator<Mono<Prediction>> quota;
		if (this.sharedQuota != null) {
			SharedQuotaPermits permits = new SharedQuotaPermits(this.sharedQuota, upstreamKey, this.limits, localQuota);
			quota = (call) -> permits.acquire().then(call);
		}
		else {
			quota = (call) -> call.transformDeferred(RateLimiterOperator.of(localQuota));
		}
		return new ResilientPredictions(upstream, byOperation, localQuota, quota,
				this.circuitBreakers.circuitBreaker(name), this.bulkheads.bulkhead(name),
				this.properties.retry().deadline(), this.properties.circuitBreaker().waitInOpenState());
	}

	/**
	 * A create is retried only when the upstream provably created nothing: the connection
	 * was never established, or it answered 429. Anything else may have created a
	 * prediction, and a duplicate costs money. Cancels are safe to repeat.
	 */
	static boolean retryable(UpstreamOperation operation, Throwable failure, Duration maxRetryAfter) {
		if (!(failure instanceof UpstreamException upstream)) {
			return false;
		}
		if (upstream.retryAfter() != null && upstream.retryAfter().compareTo(maxRetryAfter) > 0) {
			return false;
		}
		if (upstream.failure() == Failure.NOT_CONNECTED || upstream.upstreamStatus() == 429) {
			return true;
		}
		if (operation == UpstreamOperation.CREATE) {
			return false;
		}
		return upstream.failure() == Failure.CONNECTION_LOST || upstream.failure() == Failure.TIMEOUT
				|| TRANSIENT_STATUSES.contains(upstream.upstreamStatus());
	}

	private RetryConfig retryConfig(UpstreamOperation operation) {
		ResilienceProperties.Retry retry = this.properties.retry();
		IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(retry.initialBackoff(),
				retry.multiplier(), retry.jitter(), retry.maxBackoff());
		return RetryConfig.custom()
			.maxAttempts(retry.maxAttempts())
			.retryOnException((failure) -> retryable(operation, failure, retry.maxRetryAfter()))
			.intervalBiFunction((attempt, outcome) -> {
				if (outcome.isLeft() && outcome.getLeft() instanceof UpstreamException upstream
						&& upstream.retryAfter() != null) {
					return upstream.retryAfter().toMillis();
				}
				return backoff.apply(attempt);
			})
			.build();
	}

	/**
	 * Only the upstream failing counts against the circuit: timeouts, broken connections,
	 * unreadable bodies and 5xx. A 4xx is the upstream working as it should; a 429, and
	 * the gateway's own bulkhead refusing a call, say nothing about its health.
	 */
	private static CircuitBreakerConfig circuitBreakerConfig(ResilienceProperties.CircuitBreaker breaker) {
		return CircuitBreakerConfig.custom()
			.failureRateThreshold(breaker.failureRateThreshold())
			.slowCallDurationThreshold(breaker.slowCallDurationThreshold())
			.slowCallRateThreshold(breaker.slowCallRateThreshold())
			.slidingWindowSize(breaker.slidingWindowSize())
			.minimumNumberOfCalls(breaker.minimumNumberOfCalls())
			.waitDurationInOpenState(breaker.waitInOpenState())
			.permittedNumberOfCallsInHalfOpenState(breaker.permittedCallsInHalfOpenState())
			.recordException((failure) -> failure instanceof UpstreamException upstream && upstream.upstreamFault())
			.ignoreException((failure) -> failure instanceof BulkheadFullException
					|| failure instanceof UpstreamException upstream && upstream.upstreamStatus() == 429)
			.build();
	}

}
