package com.imagegateway.store.redis;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.imagegateway.images.JobNotices;

import org.springframework.data.redis.connection.ReactiveSubscription;

/**
 * Notices through Redis pub/sub: at most once, to the replicas subscribed at that moment,
 * which is what a wake-up needs (waiters read the store again now and then anyway).
 */
class RedisJobNotices implements JobNotices {

	private final RedisCalls redis;

	private final String channel;

	RedisJobNotices(RedisCalls redis) {
		this.redis = redis;
		this.channel = redis.key("jobs", "changed");
	}

	@Override
	public Mono<Void> announce(String jobId) {
		return this.redis.guard(this.redis.template().convertAndSend(this.channel, jobId)).then();
	}

	@Override
	public Flux<String> announced() {
		// connects on subscription, which may fail at once (Redis down at start-up): as an error, to be retried
		return Flux.defer(() -> this.redis.template().listenToChannel(this.channel))
			.map(ReactiveSubscription.Message::getMessage);
	}

}
