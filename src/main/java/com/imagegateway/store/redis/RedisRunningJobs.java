package com.imagegateway.store.redis;

import java.time.Duration;
import java.time.Instant;

import reactor.core.publisher.Mono;

import com.imagegateway.images.RunningJobs;

/**
 * Each client's running jobs as a Redis sorted set scored by deadline, changed only by
 * scripts.
 */
class RedisRunningJobs implements RunningJobs {

	private final RedisCalls redis;

	RedisRunningJobs(RedisCalls redis) {
		this.redis = redis;
	}

	@Override
	public Mono<Boolean> tryAdd(String client, String entry, int cap, Instant now, Instant countUntil) {
		long keyLifetime = Math.max(1, Duration.between(now, countUntil).toMillis());
		return this.redis
			.script(RedisScripts.RUNNING_ADD, key(client), entry, cap, now.toEpochMilli(), countUntil.toEpochMilli(),
					keyLifetime)
			.map((added) -> added == 1L);
	}

	@Override
	public Mono<Void> rename(String client, String entry, String newName) {
		return this.redis.script(RedisScripts.RUNNING_RENAME, key(client), entry, newName).then();
	}

	@Override
	public Mono<Void> remove(String client, String entry) {
		return this.redis.guard(this.redis.template().opsForZSet().remove(key(client), entry)).then();
	}

	private String key(String client) {
		return this.redis.key("client", client, "running");
	}

}
