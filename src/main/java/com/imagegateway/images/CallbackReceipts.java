package com.imagegateway.images;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * The upstream callbacks already received, by their {@code webhook-id}, across replicas:
 * a callback seen before is a replay, refused however valid its signature.
 */
public interface CallbackReceipts {

	/**
	 * Records the callback as received for {@code remembered}; true if it was not
	 * already, in one step, so two replicas given the same callback cannot both take it.
	 */
	Mono<Boolean> claim(String webhookId, Duration remembered);

	/**
	 * Forgets a callback whose job could not be updated, so the upstream's retry is
	 * taken.
	 */
	Mono<Void> release(String webhookId);

}
