package com.imagegateway.store.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

import com.imagegateway.images.CallbackReceipts;

/** The callbacks this process received, each until it is too old to be taken anyway. */
class InMemoryCallbackReceipts implements CallbackReceipts {

	private final Map<String, Instant> received = new ConcurrentHashMap<>();

	private final Clock clock;

	InMemoryCallbackReceipts(Clock clock) {
		this.clock = clock;
	}

	@Override
	public Mono<Boolean> claim(String webhookId, Duration remembered) {
		return Mono.fromSupplier(() -> {
			Instant now = this.clock.instant();
			// few callbacks a second at most: forgetting the expired ones as they come
			// is cheaper than a timer
			this.received.values().removeIf(now::isAfter);
			return this.received.putIfAbsent(webhookId, now.plus(remembered)) == null;
		});
	}

	@Override
	public Mono<Void> release(String webhookId) {
		return Mono.fromRunnable(() -> this.received.remove(webhookId));
	}

}
