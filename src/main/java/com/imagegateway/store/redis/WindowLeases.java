package com.imagegateway.store.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import reactor.core.publisher.Mono;

/**
 * Fixed windows in Redis, spent in leases: a replica takes a few permits of a window in
 * one round trip and hands them out locally until they run out or the window ends, so a
 * busy client costs Redis one call per lease instead of one per request. The windows stay
 * one budget for all replicas (Redis never grants more than a window's permits); the
 * price is that a replica may hold up to a lease of unused permits while another is
 * refused, which is why a lease is at most a fiftieth of the window, and a window of
 * fewer than 100 permits is counted call by call.
 */
final class WindowLeases {

	static final int LEASE_SHARE = 50;

	static final int MAX_LEASE = 64;

	private final RedisCalls redis;

	private final LongSupplier nanoTime;

	private final Map<String, Lease> leases = new ConcurrentHashMap<>();

	WindowLeases(RedisCalls redis, LongSupplier nanoTime) {
		this.redis = redis;
		this.nanoTime = nanoTime;
	}

	/**
	 * One call against the window {@code name}: from this replica's lease if it has one
	 * and {@code mayLease}, else from Redis.
	 */
	Mono<Window> take(String name, Duration period, int permits, boolean mayLease) {
		String key = this.redis.key(name, Long.toString(period.toMillis()));
		Lease lease = mayLease ? this.leases.get(key) : null;
		if (lease != null) {
			Window local = lease.take(this.nanoTime.getAsLong());
			if (local != null) {
				return Mono.just(local);
			}
		}
		int wanted = mayLease ? leaseSize(permits) : 1;
		return this.redis.script(RedisScripts.TAKE_WINDOW, key, period.toMillis(), wanted, permits)
			.map((List result) -> {
				long used = (Long) result.get(0);
				Duration resetIn = Duration.ofMillis((Long) result.get(1));
				long granted = (Long) result.get(2);
				if (granted == 0) {
					return new Window(used, resetIn);
				}
				if (granted > 1) {
					long now = this.nanoTime.getAsLong();
					this.leases.computeIfAbsent(key, (any) -> new Lease(now))
						.add(granted - 1, used, now + resetIn.toNanos(), now);
				}
				// this call is the lease's first permit: counted as if the rest were
				// still unspent
				return new Window(used - (granted - 1), resetIn);
			});
	}

	static int leaseSize(int permits) {
		return Math.clamp(permits / LEASE_SHARE, 1, MAX_LEASE);
	}

	/**
	 * @param used calls counted in the window so far, as far as this replica knows
	 * @param resetIn time until the window refills
	 */
	record Window(long used, Duration resetIn) {
	}

	/** The permits of one window this replica holds; a few fields under one lock. */
	private static final class Lease {

		private long left;

		private long countedInRedis;

		private long endsAt;

		Lease(long now) {
			this.endsAt = now;
		}

		synchronized void add(long permits, long counted, long endsAt, long now) {
			if (now - this.endsAt >= 0) {
				// what is left of an ended window is gone with it
				this.left = 0;
				this.countedInRedis = 0;
			}
			this.left += permits;
			this.countedInRedis = Math.max(this.countedInRedis, counted);
			this.endsAt = endsAt;
		}

		synchronized Window take(long now) {
			if (this.left == 0 || now - this.endsAt >= 0) {
				return null;
			}
			this.left--;
			return new Window(this.countedInRedis - this.left, Duration.ofNanos(this.endsAt - now));
		}

	}

}
