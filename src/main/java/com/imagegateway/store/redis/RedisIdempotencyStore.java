package com.imagegateway.store.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

import reactor.core.publisher.Mono;

import com.imagegateway.images.IdempotencyStore;
import com.imagegateway.store.StoreProperties;

/**
 * Idempotency keys in Redis: claimed with {@code SET NX} for the claim timeout, so
 * exactly one request, on whichever replica, creates; completed for the idempotency TTL.
 * The caller's key is stored only as a hash.
 */
class RedisIdempotencyStore implements IdempotencyStore {

	private final RedisCalls redis;

	private final Duration claimTimeout;

	private final Duration ttl;

	RedisIdempotencyStore(RedisCalls redis, StoreProperties properties) {
		this.redis = redis;
		this.claimTimeout = properties.idempotencyClaimTimeout();
		this.ttl = properties.idempotencyTtl();
	}

	@Override
	public Mono<IdempotencyRecord> claim(String client, String key, String fingerprint) {
		return this.redis
			.script(RedisScripts.IDEMPOTENCY_CLAIM, redisKey(client, key), fingerprint, this.claimTimeout.toMillis())
			.filter((existing) -> !existing.isEmpty())
			.map(RedisIdempotencyStore::record);
	}

	@Override
	public Mono<Void> complete(String client, String key, String jobId) {
		return this.redis.script(RedisScripts.IDEMPOTENCY_COMPLETE, redisKey(client, key), jobId, this.ttl.toMillis())
			.then();
	}

	@Override
	public Mono<Void> release(String client, String key) {
		return this.redis.script(RedisScripts.IDEMPOTENCY_RELEASE, redisKey(client, key)).then();
	}

	@Override
	public Mono<IdempotencyRecord> find(String client, String key) {
		return this.redis.guard(this.redis.template().opsForValue().get(redisKey(client, key)))
			.map(RedisIdempotencyStore::record);
	}

	private static IdempotencyRecord record(String value) {
		int separator = value.indexOf('|');
		String jobId = value.substring(separator + 1);
		return new IdempotencyRecord(value.substring(0, separator), jobId.isEmpty() ? null : jobId);
	}

	private String redisKey(String client, String key) {
		return this.redis.key("idempotency", client, sha256(key));
	}

	private static String sha256(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public Duration claimTimeout() {
		return this.claimTimeout;
	}

}
