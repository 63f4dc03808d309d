package com.imagegateway.store.redis;

import java.time.Duration;

import reactor.core.publisher.Mono;

import com.imagegateway.images.CallbackReceipts;

/** The callbacks any replica received: one key each, set only if absent, that expires. */
class RedisCallbackReceipts implements CallbackReceipts {

	private final RedisCalls redis;

	RedisCallbackReceipts(RedisCalls redis) {
		this.redis = redis;
	}

	@Override
	public Mono<Boolean> claim(String webhookId, Duration remembered) {
		return this.redis.guard(this.redis.template().opsForValue().setIfAbsent(key(webhookId), "1", remembered));
	}

	@Override
	public Mono<Void> release(String webhookId) {
		return this.redis.guard(this.redis.template().delete(key(webhookId))).then();
	}

	private String key(String webhookId) {
		return this.redis.key("callback", webhookId);
	}

}
