package com.imagegateway.store.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.imagegateway.images.ResultCache;

/**
 * Cached results shared by every replica: one key per fingerprint and owner, holding the
 * job's id and when it finished, written with its expiry in one command; the owners of
 * one fingerprint are read in one round trip.
 */
class RedisResultCache implements ResultCache {

	private final RedisCalls redis;

	private final Clock clock;

	RedisResultCache(RedisCalls redis, Clock clock) {
		this.redis = redis;
		this.clock = clock;
	}

	@Override
	public Mono<Void> remember(String owner, String key, Result result, Instant until) {
		Duration lifetime = Duration.between(this.clock.instant(), until);
		if (!lifetime.isPositive()) {
			return Mono.empty();
		}
		return this.redis
			.guard(this.redis.template()
				.opsForValue()
				.set(key(owner, key), result.jobId() + ' ' + result.completedAt().toEpochMilli(), lifetime))
			.then();
	}

	@Override
	public Flux<Result> find(List<String> owners, String key) {
		return this.redis.guard(
				this.redis.template().opsForValue().multiGet(owners.stream().map((owner) -> key(owner, key)).toList()))
			.flatMapIterable((values) -> {
				List<Result> results = new ArrayList<>();
				for (int i = 0; i < owners.size(); i++) {
					String value = values.get(i);
					if (value != null) {
						int space = value.indexOf(' ');
						results.add(new Result(owners.get(i), value.substring(0, space),
								Instant.ofEpochMilli(Long.parseLong(value.substring(space + 1)))));
					}
				}
				return results;
			});
	}

	@Override
	public Mono<Void> forget(String owner, String key) {
		return this.redis.guard(this.redis.template().delete(key(owner, key))).then();
	}

	/** The fingerprint as the hash tag: one request's owners sit together. */
	private String key(String owner, String key) {
		return this.redis.key("cache", "{" + key + "}", owner);
	}

}
