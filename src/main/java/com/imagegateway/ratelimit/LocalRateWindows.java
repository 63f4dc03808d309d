package com.imagegateway.ratelimit;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import reactor.core.publisher.Mono;

import com.imagegateway.clients.ClientLimits;

import org.springframework.stereotype.Component;

/**
 * Windows in this process (a Resilience4j limiter each): the budget with the memory
 * store, and each pod's own fallback for reads while Redis is unreachable.
 */
@Component
class LocalRateWindows implements RateWindows {

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	@Override
	public Mono<WindowUse> take(String key, ClientLimits.Rate rate) {
		return Mono.fromSupplier(() -> {
			Window window = this.windows.computeIfAbsent(key,
					(name) -> new Window(RateLimiter.of(name,
							RateLimiterConfig.custom()
								.limitForPeriod(rate.permits())
								.limitRefreshPeriod(rate.period())
								.timeoutDuration(Duration.ZERO)
								.build()),
							System.nanoTime()));
			boolean permitted = window.limiter().acquirePermission();
			int remaining = Math.max(0, window.limiter().getMetrics().getAvailablePermissions());
			return new WindowUse(permitted, remaining, window.untilRefill(rate.period()));
		});
	}

	/** A limiter and when it started counting, which fixes where its periods begin. */
	private record Window(RateLimiter limiter, long startNanos) {

		Duration untilRefill(Duration period) {
			long periodNanos = period.toNanos();
			long intoPeriod = (System.nanoTime() - this.startNanos) % periodNanos;
			return Duration.ofNanos(periodNanos - intoPeriod);
		}

	}

}
