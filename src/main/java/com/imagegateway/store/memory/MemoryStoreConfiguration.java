package com.imagegateway.store.memory;

import java.time.Clock;

import com.imagegateway.images.CallbackReceipts;
import com.imagegateway.images.ResultCache;
import com.imagegateway.images.IdempotencyStore;
import com.imagegateway.images.JobNotices;
import com.imagegateway.images.JobStore;
import com.imagegateway.images.TrackingProperties;
import com.imagegateway.images.TrackingQueue;
import com.imagegateway.images.RunningJobs;
import com.imagegateway.spend.PricingProperties;
import com.imagegateway.webhooks.WebhookDeliveryStore;
import com.imagegateway.webhooks.WebhookQueue;
import com.imagegateway.store.StoreProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code gateway.store.type=memory} (the default): everything in this process, for one
 * replica, the demo and tests that need nothing else. Nothing survives a restart.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "gateway.store.type", havingValue = "memory", matchIfMissing = true)
class MemoryStoreConfiguration {

	@Bean
	JobStore jobStore(StoreProperties properties, Clock clock, InMemoryWorkQueue trackingEntries,
			InMemoryUsageLedger usageLedger) {
		return new InMemoryJobStore(properties, clock, trackingEntries, usageLedger);
	}

	/** Usage, which the job store counts as it records a finish. */
	@Bean
	InMemoryUsageLedger usageLedger(Clock clock, PricingProperties pricing) {
		return new InMemoryUsageLedger(clock, pricing.usageRetention());
	}

	@Bean
	IdempotencyStore idempotencyStore(StoreProperties properties, Clock clock) {
		return new InMemoryIdempotencyStore(properties, clock);
	}

	@Bean
	CallbackReceipts callbackReceipts(Clock clock) {
		return new InMemoryCallbackReceipts(clock);
	}

	@Bean
	ResultCache resultCache(Clock clock, StoreProperties properties) {
		return new InMemoryResultCache(clock, properties.maxJobs());
	}

	@Bean
	RunningJobs runningJobs() {
		return new InMemoryRunningJobs();
	}

	/** The running jobs' queue, which the job store feeds as it records a job. */
	@Bean
	InMemoryWorkQueue trackingEntries() {
		return new InMemoryWorkQueue();
	}

	@Bean
	TrackingQueue trackingQueue(InMemoryWorkQueue trackingEntries) {
		return new TrackingQueue(trackingEntries);
	}

	@Bean
	JobNotices jobNotices() {
		return new InMemoryJobNotices();
	}

	@Bean
	WebhookQueue webhookQueue(TrackingProperties tracking) {
		return new WebhookQueue(new InMemoryWorkQueue(), tracking.takeoverAfter());
	}

	@Bean
	WebhookDeliveryStore webhookDeliveryStore(WebhookQueue queue, StoreProperties properties) {
		// at most two events a job
		return new InMemoryWebhookDeliveryStore(queue.entries(), properties.maxJobs() * 2, properties.retention());
	}

}
