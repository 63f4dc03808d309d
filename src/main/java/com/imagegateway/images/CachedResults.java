package com.imagegateway.images;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import com.imagegateway.clients.GatewayClient;
import com.imagegateway.storage.StorageProperties;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The cache of seeded requests, both ways: a settled job's stored images are remembered
 * under its request's fingerprint, and a later request with the same fingerprint, by the
 * same client or one it is shared with, is answered with a new job of its own whose
 * images are copies of them: no prediction, nothing paid.
 */
@Component
class CachedResults {

	private static final Log logger = LogFactory.getLog(CachedResults.class);

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final char[] ID_CHARACTERS = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

	private final ResultCache cache;

	private final JobStore store;

	private final JobOutputs outputs;

	private final JobSpending spending;

	private final JobMetrics metrics;

	private final Clock clock;

	private final Duration retention;

	@Autowired
	CachedResults(ResultCache cache, JobStore store, JobOutputs outputs, JobSpending spending, JobMetrics metrics,
			Clock clock, StorageProperties storage) {
		this(cache, store, outputs, spending, metrics, clock, storage.retention());
	}

	/**
	 * @param retention how long images are kept ({@code gateway.storage.retention})
	 */
	CachedResults(ResultCache cache, JobStore store, JobOutputs outputs, JobSpending spending, JobMetrics metrics,
			Clock clock, Duration retention) {
		this.cache = cache;
		this.store = store;
		this.outputs = outputs;
		this.spending = spending;
		this.metrics = metrics;
		this.clock = clock;
		this.retention = retention;
	}

	/**
	 * A new job answering the request from the newest result at most {@code freshness}
	 * old that the client may use, its images copied; empty when there is none.
	 */
	Mono<Job> answer(GatewayClient client, String key, Duration freshness, CreateImageRequest request,
			@Nullable JobWebhook webhook) {
		Instant oldest = this.clock.instant().minus(freshness);
		return this.cache.find(client.cache().readsFrom(), key)
			.filter((result) -> !result.completedAt().isBefore(oldest))
			.sort(Comparator.comparing(ResultCache.Result::completedAt).reversed())
			.concatMap((result) -> usable(result, key), 1)
			.next()
			.flatMap((source) -> {
				String id = newId();
				return this.outputs.copyKept(source, id)
					.then(Mono
						.fromSupplier(() -> Job.answeredBy(source, id, client.name(), request.model(), request.prompt(),
								this.clock.instant(), webhook, this.spending.free(this.clock.instant()), key)));
			})
			.doOnNext((hit) -> this.metrics.cacheLookup(client.name(), true))
			.switchIfEmpty(Mono.fromRunnable(() -> this.metrics.cacheLookup(client.name(), false)));
	}

	/**
	 * The result's job if its images are all still stored; a result whose images are gone
	 * is forgotten.
	 */
	private Mono<Job> usable(ResultCache.Result result, String key) {
		return this.store.find(result.jobId())
			.filter(CachedResults::allStored)
			.switchIfEmpty(Mono.defer(() -> this.cache.forget(result.owner(), key).then(Mono.empty())));
	}

	/**
	 * Remembers a settled job's stored images as its request's answer, until retention
	 * removes them. The cache is an optimisation: a failure to remember is logged, and
	 * the job is settled all the same.
	 */
	Mono<Void> remember(Job settled) {
		JobCache place = settled.cache();
		if (place == null || place.hitOf() != null || !allStored(settled)) {
			return Mono.empty();
		}
		Instant completed = (settled.completedAt() != null) ? settled.completedAt() : this.clock.instant();
		return this.cache
			.remember(settled.client(), place.key(), new ResultCache.Result(settled.client(), settled.id(), completed),
					settled.createdAt().plus(this.retention))
			.onErrorResume((failure) -> {
				logger.warn("Could not remember job " + settled.id() + " in the cache of seeded requests: " + failure);
				return Mono.empty();
			});
	}

	private static boolean allStored(Job job) {
		return job.status() == JobStatus.SUCCEEDED && !job.dataRemoved() && job.copies() != null
				&& !job.copies().isEmpty() && job.copies().stream().allMatch(OutputCopy::stored);
	}

	/** An id apart from the upstream's: a hyphen, which its ids never hold. */
	private static String newId() {
		char[] id = new char[26];
		for (int i = 0; i < id.length; i++) {
			id[i] = ID_CHARACTERS[RANDOM.nextInt(ID_CHARACTERS.length)];
		}
		return "c-" + new String(id);
	}

}
