package com.imagegateway.store.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import com.imagegateway.images.CallbackReceipts;
import com.imagegateway.images.ResultCache;
import com.imagegateway.images.IdempotencyStore;
import com.imagegateway.images.JobNotices;
import com.imagegateway.images.JobStore;
import com.imagegateway.images.RunningJobs;
import com.imagegateway.images.TrackingProperties;
import com.imagegateway.images.TrackingQueue;
import com.imagegateway.spend.PricingProperties;
import com.imagegateway.spend.UsageLedger;
import com.imagegateway.webhooks.WebhookDeliveryStore;
import com.imagegateway.webhooks.WebhookQueue;
import com.imagegateway.store.StoreProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.data.redis.health.DataRedisReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * {@code gateway.store.type=redis}: jobs, idempotency keys, running jobs and every limit
 * in Redis, so that any number of replicas behave as one. The connection is Boot's own
 * ({@code spring.data.redis.*}: URL, password, TLS, Sentinel); Redis Cluster is refused
 * at start-up, as the scripts that keep a job's records in one step touch keys of several
 * slots.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "gateway.store.type", havingValue = "redis")
class RedisStoreConfiguration {

	/**
	 * The trackers' queue, a stream that creating a job feeds in the same script as it
	 * stores it.
	 */
	private static final String TRACKING = "tracking";

	@Bean
	RedisCalls redisCalls(ReactiveStringRedisTemplate redis, ReactiveRedisConnectionFactory connections,
			StoreProperties properties) {
		if (connections instanceof LettuceConnectionFactory lettuce && lettuce.isClusterAware()) {
			// its scripts write a job, its client's listing and the trackers' queue in
			// one step: keys
			// that Cluster would place on different nodes, where the scripts would fail
			// at the first create
			throw new IllegalStateException("gateway.store.type=redis does not support Redis Cluster "
					+ "(spring.data.redis.cluster.nodes is set): use one Redis primary, with replicas and Sentinel for failover");
		}
		return new RedisCalls(redis, properties.redis());
	}

	@Bean
	JobStore jobStore(RedisCalls redis, JsonMapper jsonMapper, StoreProperties properties, PricingProperties pricing) {
		return new RedisJobStore(redis, jsonMapper, properties, TRACKING, pricing.usageRetention());
	}

	/** Usage, which the job store counts as it records a finish. */
	@Bean
	UsageLedger usageLedger(RedisCalls redis, Clock clock) {
		return new RedisUsageLedger(redis, clock);
	}

	@Bean
	IdempotencyStore idempotencyStore(RedisCalls redis, StoreProperties properties) {
		return new RedisIdempotencyStore(redis, properties);
	}

	@Bean
	CallbackReceipts callbackReceipts(RedisCalls redis) {
		return new RedisCallbackReceipts(redis);
	}

	@Bean
	ResultCache resultCache(RedisCalls redis, Clock clock) {
		return new RedisResultCache(redis, clock);
	}

	@Bean
	RunningJobs runningJobs(RedisCalls redis) {
		return new RedisRunningJobs(redis);
	}

	@Bean
	TrackingQueue trackingQueue(RedisCalls redis, TrackingProperties properties) {
		return new TrackingQueue(new RedisWorkQueue(redis, properties, TRACKING));
	}

	@Bean
	JobNotices jobNotices(RedisCalls redis) {
		return new RedisJobNotices(redis);
	}

	@Bean
	WebhookQueue webhookQueue(RedisCalls redis, TrackingProperties properties) {
		return new WebhookQueue(new RedisWorkQueue(redis, properties, RedisWebhookDeliveryStore.STREAM),
				properties.takeoverAfter());
	}

	@Bean
	WebhookDeliveryStore webhookDeliveryStore(RedisCalls redis, JsonMapper jsonMapper, StoreProperties properties) {
		return new RedisWebhookDeliveryStore(redis, jsonMapper, properties.retention());
	}

	/** Shared windows replace each pod's own for client limits and the upstream quota. */
	@Bean
	@Primary
	RedisRateWindows redisRateWindows(RedisCalls redis) {
		return new RedisRateWindows(redis);
	}

	/**
	 * Shows Redis under {@code /actuator/health}; deliberately in neither probe group
	 * (docs/operate.md).
	 */
	@Bean
	DataRedisReactiveHealthIndicator redisHealthIndicator(ReactiveRedisConnectionFactory connectionFactory) {
		return new DataRedisReactiveHealthIndicator(connectionFactory);
	}

	/**
	 * While Redis is unreachable, commands fail at once instead of queueing until their
	 * timeout: callers get their {@code 503} fast, and nothing piles up in memory.
	 * Replies are handed to Lettuce's computation threads: all of a replica's commands
	 * share one connection, and the work a reply resumes (a request's rest, its access
	 * line) would otherwise run on its one I/O thread, where under a burst of creates it
	 * delayed other replies past their timeout.
	 */
	@Bean
	LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected() {
		return (options) -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.publishOnScheduler(true);
	}

	/**
	 * Each Redis command's latency as a timer, {@code lettuce.command.completion} (and
	 * {@code .firstresponse}) by command. Boot's default, an observation of every
	 * command, is excluded in {@code application.yml}: it made a span and a long-task
	 * timer for each of the several commands a request sends, on Lettuce's one event
	 * loop: a fifth of that thread's time.
	 */
	@Bean
	ClientResourcesBuilderCustomizer redisCommandLatencies(MeterRegistry registry) {
		return (resources) -> resources.commandLatencyRecorder(
				new MicrometerCommandLatencyRecorder(registry, MicrometerOptions.builder().histogram(false).build()));
	}

	/**
	 * Reconnects within two seconds of Redis coming back, rather than Lettuce's default
	 * of up to 30.
	 */
	@Bean
	ClientResourcesBuilderCustomizer reconnectQuickly() {
		return (resources) -> resources
			.reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS));
	}

}
