package com.imagegateway.store.memory;

import java.time.Clock;
import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import reactor.core.publisher.Mono;

import com.imagegateway.images.CallbackReceipts;

/**
 * The callbacks this process received, each until it is too old to be taken anyway; the
 * cache forgets them, as it does idempotency keys.
 */
class InMemoryCallbackReceipts implements CallbackReceipts {

	private final Cache<String, Duration> received;

	InMemoryCallbackReceipts(Clock clock) {
		this.received = Caffeine.newBuilder()
			.expireAfter(Expiry.<String, Duration>creating((id, remembered) -> remembered))
			.ticker(new ClockTicker(clock))
			.executor(Runnable::run)
			.build();
	}

	@Override
	public Mono<Boolean> claim(String webhookId, Duration remembered) {
		return Mono.fromSupplier(() -> this.received.asMap().putIfAbsent(webhookId, remembered) == null);
	}

	@Override
	public Mono<Void> release(String webhookId) {
		return Mono.fromRunnable(() -> this.received.invalidate(webhookId));
	}

}
