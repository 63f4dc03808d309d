package com.imagegateway.images;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import com.imagegateway.clients.GatewayClient;
import com.imagegateway.images.IdempotencyStore.IdempotencyRecord;
import com.imagegateway.system.GatewayException;
import com.imagegateway.system.StoreUnavailableException;
import com.imagegateway.upstream.ModelRef;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Creates a job at most once per {@code Idempotency-Key}: the first request claims the
 * key and creates; any other request with the key waits for that one and gets its job.
 */
@Component
class IdempotentCreation {

	private static final Log logger = LogFactory.getLog(IdempotentCreation.class);

	private static final Duration DUPLICATE_POLL_INTERVAL = Duration.ofMillis(50);

	private static final IdempotencyRecord RELEASED = new IdempotencyRecord("", null);

	private final ImageJobs jobs;

	private final IdempotencyStore idempotency;

	private final Duration claimTimeout;

	private final JsonMapper fingerprintMapper;

	IdempotentCreation(ImageJobs jobs, IdempotencyStore idempotency, JsonMapper jsonMapper) {
		this.jobs = jobs;
		this.idempotency = idempotency;
		this.claimTimeout = idempotency.claimTimeout();
		this.fingerprintMapper = jsonMapper.rebuild().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
	}

	Mono<ImageCreation.Created> create(GatewayClient client, ModelRef model, CreateImageRequest request, String key,
			@Nullable JobWebhook webhook, CachePreference cache) {
		String fingerprint = fingerprint(request);
		return this.idempotency.claim(client.name(), key, fingerprint)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((existing) -> existing.isPresent()
					? replay(client, model, request, key, fingerprint, existing.get(), webhook, cache)
					: createClaimed(client, model, request, key, webhook, cache));
	}

	private Mono<ImageCreation.Created> createClaimed(GatewayClient client, ModelRef model, CreateImageRequest request,
			String key, @Nullable JobWebhook webhook, CachePreference cache) {
		return this.jobs.create(client, model, request, webhook, cache)
			.onErrorResume((failure) -> this.idempotency.release(client.name(), key)
				.onErrorComplete()
				.then(Mono.error(failure)))
			.flatMap((job) -> this.idempotency.complete(client.name(), key, job.id())
				.onErrorResume(StoreUnavailableException.class, (unreachable) -> {
					// the job exists and is recorded: answer with it; the claim lapses
					// after the claim timeout
					logger.warn("Idempotency key of client " + client.name() + " not completed for job " + job.id()
							+ ": the store is unavailable");
					return Mono.empty();
				})
				.thenReturn(new ImageCreation.Created(job, false)));
	}

	private Mono<ImageCreation.Created> replay(GatewayClient client, ModelRef model, CreateImageRequest request,
			String key, String fingerprint, IdempotencyRecord record, @Nullable JobWebhook webhook,
			CachePreference cache) {
		if (!record.fingerprint().equals(fingerprint)) {
			return Mono.error(new GatewayException(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency_key_reused",
					"Idempotency key reused", "This Idempotency-Key was already used with a different request body."));
		}
		if (record.completed()) {
			return this.jobs.stored(client, record.jobId()).map((job) -> new ImageCreation.Created(job, true));
		}
		return Mono.defer(() -> this.idempotency.find(client.name(), key).defaultIfEmpty(RELEASED))
			.delaySubscription(DUPLICATE_POLL_INTERVAL)
			.repeat()
			.filter((current) -> current == RELEASED || current.completed())
			.next()
			.timeout(this.claimTimeout,
					Mono.error(() -> new GatewayException(HttpStatus.CONFLICT, "idempotency_key_in_use",
							"Idempotency key in use", "A request with this Idempotency-Key is still being processed.")))
			// the first request failed and gave the key back: this one may try in its
			// place
			.flatMap((current) -> (current == RELEASED) ? create(client, model, request, key, webhook, cache)
					: replay(client, model, request, key, fingerprint, current, webhook, cache));
	}

	private String fingerprint(CreateImageRequest request) {
		try {
			byte[] canonical = this.fingerprintMapper.writeValueAsBytes(request);
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
