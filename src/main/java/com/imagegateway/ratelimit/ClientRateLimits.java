package com.imagegateway.ratelimit;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;

import com.imagegateway.clients.GatewayClient;

import org.springframework.stereotype.Component;

/**
 * One Resilience4j rate limiter per client and kind of call. Limits are per replica: with N
 * replicas behind a balancer a client gets about N times its permits.
 */
@Component
class ClientRateLimits {

	enum Kind {

		CREATES, READS

	}

	private final RateLimiterRegistry registry = RateLimiterRegistry.ofDefaults();

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	RateLimiterRegistry registry() {
		return this.registry;
	}

	/** Takes a permit if there is one; either way, says where the client stands. */
	Decision acquire(GatewayClient client, Kind kind) {
		ClientLimits.Rate rate = (kind == Kind.CREATES) ? client.limits().creates() : client.limits().reads();
		if (rate == null) {
			return Decision.UNLIMITED;
		}
		Window window = this.windows.computeIfAbsent(client.name() + "-" + kind.name().toLowerCase(Locale.ROOT),
				(name) -> new Window(this.registry.rateLimiter(name, RateLimiterConfig.custom()
					.limitForPeriod(rate.permits())
					.limitRefreshPeriod(rate.period())
					.timeoutDuration(Duration.ZERO)
					.build()), System.nanoTime()));
		boolean permitted = window.limiter().acquirePermission();
		int remaining = Math.max(0, window.limiter().getMetrics().getAvailablePermissions());
		return new Decision(permitted, rate.permits(), remaining, window.untilRefill(rate.period()));
	}

	/** A limiter and when it started counting, which fixes where its periods begin. */
	private record Window(RateLimiter limiter, long startNanos) {

		Duration untilRefill(Duration period) {
			long periodNanos = period.toNanos();
			long intoPeriod = (System.nanoTime() - this.startNanos) % periodNanos;
			return Duration.ofNanos(periodNanos - intoPeriod);
		}

	}

	/**
	 * @param permitted whether the call may go ahead
	 * @param limit permits per period
	 * @param remaining permits left in this period
	 * @param reset time until the permits refill
	 */
	record Decision(boolean permitted, int limit, int remaining, Duration reset) {

		static final Decision UNLIMITED = new Decision(true, 0, 0, Duration.ZERO);

		boolean limited() {
			return this.limit > 0;
		}

		long resetSeconds() {
			return Math.max(1, (this.reset.toMillis() + 999) / 1000);
		}

	}

}
