package com.imagegateway.images;

import java.time.Instant;

import reactor.core.publisher.Mono;

import com.imagegateway.clients.GatewayClient;
import com.imagegateway.upstream.ModelRef;

/**
 * Prices jobs and holds each client to its budget. A create reserves its estimated cost
 * before anything reaches the upstream; when the job finishes, the store puts its real
 * cost in place of the reservation in the same step that records the finish
 * ({@link JobStore#save}), once per job whichever replica sees it.
 */
public interface JobSpending {

	/**
	 * Prices a create of {@code images} images and reserves its estimate against the
	 * client's budget, atomically for all replicas. Fails with {@code budget_exhausted}
	 * (429) when the budget cannot hold it, {@code model_not_priced} (403) when prices
	 * are required and the model has none.
	 * @return the job's charge while it runs
	 */
	Mono<JobCharge> reserve(GatewayClient client, ModelRef model, int images, Instant now);

	/** Gives back the reservation of a create that started nothing upstream. */
	Mono<Void> release(String client, JobCharge reserved);

	/**
	 * The finished job's charge: its real cost, at the price in force when it was
	 * created, carrying its reservation so that the store can give it back.
	 */
	JobCharge finalCharge(Job finished);

	/**
	 * The charge of a job that cost nothing (answered from the cache): final, nothing
	 * reserved, no image produced.
	 */
	JobCharge free(Instant now);

	/** Called once per job, after its finish (and so its cost) was stored. */
	void finished(Job job);

}
