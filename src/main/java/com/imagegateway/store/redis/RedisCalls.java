package com.imagegateway.store.redis;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import com.imagegateway.store.StoreProperties;
import com.imagegateway.system.GatewayException;
import com.imagegateway.system.StoreUnavailableException;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Every Redis operation goes through here: bounded in time, and any failure of Redis
 * becomes {@code 503 store_unavailable}, so no caller ever waits on, or sees the details
 * of, a failing store.
 */
final class RedisCalls {

	private static final Log logger = LogFactory.getLog(RedisCalls.class);

	private final ReactiveStringRedisTemplate redis;

	private final String prefix;

	private final Duration timeout;

	private final Duration retryAfter;

	RedisCalls(ReactiveStringRedisTemplate redis, StoreProperties.Redis properties) {
		this.redis = redis;
		this.prefix = properties.keyPrefix();
		this.timeout = properties.operationTimeout();
		this.retryAfter = properties.retryAfter();
	}

	ReactiveStringRedisTemplate template() {
		return this.redis;
	}

	String key(String... parts) {
		return this.prefix + String.join(":", parts);
	}

	<T> Mono<T> script(RedisScript<T> script, String key, Object... args) {
		List<String> arguments = Arrays.stream(args).map(String::valueOf).toList();
		return guard(this.redis.execute(script, List.of(key), arguments).next());
	}

	/** A script over several keys, which must share a hash tag on Redis Cluster. */
	<T> Mono<T> script(RedisScript<T> script, List<String> keys, Object... args) {
		List<String> arguments = Arrays.stream(args).map(String::valueOf).toList();
		return guard(this.redis.execute(script, keys, arguments).next());
	}

	<T> Mono<T> guard(Mono<T> operation) {
		return operation.timeout(this.timeout)
			.doOnError((failure) -> logger.isDebugEnabled(),
					(failure) -> logger.debug("Redis operation failed", failure))
			.onErrorMap((failure) -> !(failure instanceof GatewayException),
					(failure) -> new StoreUnavailableException(StoreUnavailableException.DETAIL, this.retryAfter,
							failure));
	}

}
