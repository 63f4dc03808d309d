package com.imagegateway.store.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import com.imagegateway.webhooks.StoredDelivery;
import com.imagegateway.webhooks.WebhookDeliveryStore;

/**
 * Deliveries as JSON strings, kept as long as jobs are ({@code gateway.store.retention});
 * a new one is stored and added to the deliveries' stream in one script. All of them
 * share the hash tag {@code {webhooks}} with the stream.
 */
class RedisWebhookDeliveryStore implements WebhookDeliveryStore {

	static final String STREAM = "{webhooks}";

	private final RedisCalls redis;

	private final JsonMapper json;

	private final Duration kept;

	private final String stream;

	RedisWebhookDeliveryStore(RedisCalls redis, JsonMapper json, Duration kept) {
		this.redis = redis;
		this.json = json;
		this.kept = kept;
		this.stream = redis.key(STREAM);
	}

	@Override
	public Mono<Boolean> add(StoredDelivery delivery) {
		return this.redis
			.script(RedisScripts.WEBHOOK_ADD, List.of(key(delivery.id()), this.stream),
					this.json.writeValueAsString(delivery), this.kept.toMillis(), delivery.id())
			.map((added) -> added == 1L);
	}

	@Override
	public Mono<StoredDelivery> find(String id) {
		return this.redis.guard(this.redis.template().opsForValue().get(key(id))).map(this::read);
	}

	@Override
	public Mono<Void> save(StoredDelivery delivery) {
		return this.redis
			.guard(this.redis.template()
				.opsForValue()
				.set(key(delivery.id()), this.json.writeValueAsString(delivery), this.kept))
			.then();
	}

	@Override
	public Mono<List<StoredDelivery>> findAll(List<String> ids) {
		return this.redis.guard(this.redis.template().opsForValue().multiGet(ids.stream().map(this::key).toList()))
			.map((values) -> {
				List<StoredDelivery> found = new ArrayList<>(values.size());
				for (String value : values) {
					if (value != null) {
						found.add(read(value));
					}
				}
				return found;
			});
	}

	private String key(String id) {
		return this.redis.key(STREAM, "delivery", id);
	}

	private StoredDelivery read(String value) {
		return this.json.readValue(value, StoredDelivery.class);
	}

}
