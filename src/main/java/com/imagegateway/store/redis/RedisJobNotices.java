package com.imagegateway.store.redis;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.imagegateway.images.JobNotices;

import org.springframework.data.redis.connection.ReactiveSubscription;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

/**
 * Notices through Redis pub/sub: at most once, to the replicas subscribed at that moment,
 * which is what a wake-up needs: a replica that was not listening reads the store again
 * when it is (waiters also read it again now and then anyway).
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
		// completes once Redis has confirmed the subscription; failing at once (Redis
		// down at start-up) is an error, to be retried. Whatever was published before
		// the confirmation was missed, hence LISTENING after it.
		return Flux.defer(() -> {
			// the template's listenToChannelLater would do this, but drop the error of
			// its
			// unsubscribe when Redis is already gone (a replica stopping after its Redis)
			// as an "onErrorDropped" line: the unsubscribe has nothing left to do then
			ReactiveRedisMessageListenerContainer container = new ReactiveRedisMessageListenerContainer(
					this.redis.template().getConnectionFactory());
			return container.receiveLater(ChannelTopic.of(this.channel))
				.map((messages) -> messages
					.doFinally((signal) -> container.destroyLater().onErrorComplete().subscribe()));
		})
			.flatMap((messages) -> Flux.merge(messages.map(ReactiveSubscription.Message::getMessage),
					Mono.just(LISTENING)));
	}

}
