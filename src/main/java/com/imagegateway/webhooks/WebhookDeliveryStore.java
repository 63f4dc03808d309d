package com.imagegateway.webhooks;

import java.util.List;

import reactor.core.publisher.Mono;

/**
 * Where deliveries are kept between attempts, as long as jobs are: in this process's
 * memory or in Redis, shared by every replica (the implementations are in {@code store}).
 */
public interface WebhookDeliveryStore {

	/**
	 * Stores a new delivery and hands it to the {@link WebhookQueue}, both or neither, so
	 * that a failure in between can neither drop it nor queue it twice; false, and
	 * nothing changed, when one with its id exists already.
	 */
	Mono<Boolean> add(StoredDelivery delivery);

	Mono<StoredDelivery> find(String id);

	Mono<Void> save(StoredDelivery delivery);

	/** The deliveries with these ids that exist, in this order. */
	Mono<List<StoredDelivery>> findAll(List<String> ids);

}
