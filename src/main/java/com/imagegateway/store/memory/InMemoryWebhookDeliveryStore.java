package com.imagegateway.store.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;

import com.imagegateway.queue.WorkQueue;
import com.imagegateway.webhooks.StoredDelivery;
import com.imagegateway.webhooks.WebhookDeliveryStore;

/** Deliveries in this process's memory, as many and as long as its jobs. */
class InMemoryWebhookDeliveryStore implements WebhookDeliveryStore {

	private final Cache<String, StoredDelivery> deliveries;

	private final WorkQueue queue;

	InMemoryWebhookDeliveryStore(WorkQueue queue, int most, Duration kept) {
		this.queue = queue;
		this.deliveries = Caffeine.newBuilder().maximumSize(most).expireAfterWrite(kept).build();
	}

	@Override
	public Mono<Boolean> add(StoredDelivery delivery) {
		return Mono.defer(() -> (this.deliveries.asMap().putIfAbsent(delivery.id(), delivery) == null)
				? this.queue.add(delivery.id()).thenReturn(true) : Mono.just(false));
	}

	@Override
	public Mono<StoredDelivery> find(String id) {
		return Mono.fromSupplier(() -> this.deliveries.getIfPresent(id));
	}

	@Override
	public Mono<Void> save(StoredDelivery delivery) {
		return Mono.fromRunnable(() -> this.deliveries.put(delivery.id(), delivery));
	}

	@Override
	public Mono<List<StoredDelivery>> findAll(List<String> ids) {
		return Mono.fromSupplier(() -> {
			List<StoredDelivery> found = new ArrayList<>(ids.size());
			for (String id : ids) {
				StoredDelivery delivery = this.deliveries.getIfPresent(id);
				if (delivery != null) {
					found.add(delivery);
				}
			}
			return found;
		});
	}

}
