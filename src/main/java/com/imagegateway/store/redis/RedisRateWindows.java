package com.imagegateway.store.redis;

import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Mono;

import com.imagegateway.clients.ClientLimits;
import com.imagegateway.ratelimit.RateWindows;
import com.imagegateway.upstream.SharedUpstreamQuota;
import com.imagegateway.upstream.UpstreamProperties;

/**
 * Fixed windows counted in Redis by one script, so that every replica spends one budget: the
 * clients' create and read limits, and the upstream's quota per upstream key. A window's key
 * names its period, so a changed period starts a new window rather than inheriting the old.
 */
class RedisRateWindows implements RateWindows, SharedUpstreamQuota {

	private final RedisCalls redis;

	RedisRateWindows(RedisCalls redis) {
		this.redis = redis;
	}

	@Override
	public Mono<WindowUse> take(String key, ClientLimits.Rate rate) {
		return take("rate:" + key, rate.period())
			.map((window) -> new WindowUse(window.used() <= rate.permits(),
					(int) Math.max(0, rate.permits() - window.used()), window.resetIn()));
	}

	@Override
	public Mono<QuotaUse> take(String upstreamKey, UpstreamProperties.Limits limits) {
		return take("quota:" + upstreamKey, limits.period())
			.map((window) -> new QuotaUse(window.used() <= limits.permits(), window.resetIn()));
	}

	private Mono<Window> take(String name, Duration period) {
		return this.redis.script(RedisScripts.TAKE_WINDOW, this.redis.key(name, Long.toString(period.toMillis())),
				period.toMillis()).map((List result) -> new Window((Long) result.get(0), Duration.ofMillis((Long) result.get(1))));
	}

	private record Window(long used, Duration resetIn) {
	}

}
