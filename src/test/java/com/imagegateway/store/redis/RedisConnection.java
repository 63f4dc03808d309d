package com.imagegateway.store.redis;

import com.imagegateway.store.StorePropertiesFixture;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * A connection to a test's Redis and the gateway's calls over it: what one replica holds.
 * A second one to the same Redis is another process, as far as Redis can tell.
 */
final class RedisConnection implements AutoCloseable {

	private final LettuceConnectionFactory connections;

	private final RedisCalls calls;

	private RedisConnection(LettuceConnectionFactory connections) {
		this.connections = connections;
		this.calls = new RedisCalls(template(), StorePropertiesFixture.redis());
	}

	static RedisConnection to(RedisContainer redis) {
		LettuceConnectionFactory connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(
				"127.0.0.1", Integer.parseInt(redis.url().substring(redis.url().lastIndexOf(':') + 1))));
		connections.afterPropertiesSet();
		connections.start();
		return new RedisConnection(connections);
	}

	RedisCalls calls() {
		return this.calls;
	}

	ReactiveStringRedisTemplate template() {
		return new ReactiveStringRedisTemplate(this.connections);
	}

	@Override
	public void close() {
		this.connections.destroy();
	}

}
