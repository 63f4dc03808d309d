package com.imagegateway.store.redis;

import reactor.core.publisher.Mono;

import com.imagegateway.clients.ClientLimits;
import com.imagegateway.ratelimit.RateWindows;
import com.imagegateway.upstream.SharedUpstreamQuota;
import com.imagegateway.upstream.UpstreamProperties;

/**
 * Fixed windows counted in Redis by one script, so that every replica spends one budget:
 * the clients' create and read limits, and the upstream's quota per upstream key. A
 * window's key names its period, so a changed period starts a new window rather than
 * inheriting the old. Busy windows are spent in leases ({@link WindowLeases}).
 */
class RedisRateWindows implements RateWindows, SharedUpstreamQuota {

	private final WindowLeases windows;

	RedisRateWindows(RedisCalls redis) {
		this.windows = new WindowLeases(redis, System::nanoTime);
	}

	@Override
	public Mono<WindowUse> take(String key, ClientLimits.Rate rate) {
		return use(key, rate, true);
	}

	@Override
	public Mono<WindowUse> takeFromStore(String key, ClientLimits.Rate rate) {
		return use(key, rate, false);
	}

	private Mono<WindowUse> use(String key, ClientLimits.Rate rate, boolean mayLease) {
		return this.windows.take("rate:" + key, rate.period(), rate.permits(), mayLease)
			.map((window) -> new WindowUse(window.used() <= rate.permits(),
					(int) Math.max(0, rate.permits() - window.used()), window.resetIn()));
	}

	@Override
	public Mono<QuotaUse> take(String upstreamKey, UpstreamProperties.Limits limits) {
		return this.windows.take("quota:" + upstreamKey, limits.period(), limits.permits(), true)
			.map((window) -> new QuotaUse(window.used() <= limits.permits(), window.resetIn()));
	}

}
