package com.imagegateway.upstream;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.reactor.ratelimiter.operator.RateLimiterOperator;
import reactor.core.publisher.Mono;

import com.imagegateway.system.StoreUnavailableException;

/**
 * Permits for one upstream key from the shared quota. A call may wait for the next window
 * up to {@code max-wait}, as with the local limiter. While the shared store is
 * unreachable this replica falls back to its own limiter, which still keeps the upstream
 * from being flooded.
 */
final class SharedQuotaPermits {

	private final SharedUpstreamQuota shared;

	private final String upstreamKey;

	private final UpstreamProperties.Limits limits;

	private final RateLimiter local;

	SharedQuotaPermits(SharedUpstreamQuota shared, String upstreamKey, UpstreamProperties.Limits limits,
			RateLimiter local) {
		this.shared = shared;
		this.upstreamKey = upstreamKey;
		this.limits = limits;
		this.local = local;
	}

	Mono<Void> acquire() {
		return take(true).onErrorResume(StoreUnavailableException.class,
				(unreachable) -> Mono.<Void>empty().transformDeferred(RateLimiterOperator.of(this.local)));
	}

	private Mono<Void> take(boolean mayWait) {
		return this.shared.take(this.upstreamKey, this.limits).flatMap((use) -> {
			if (use.permitted()) {
				return Mono.empty();
			}
			if (mayWait && use.resetIn().compareTo(this.limits.maxWait()) <= 0) {
				return take(false).delaySubscription(use.resetIn());
			}
			return Mono.error(UpstreamUnavailableException.busy(use.resetIn(), null));
		});
	}

}
