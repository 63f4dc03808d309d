package com.imagegateway.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

import com.imagegateway.images.JobWebhooks;
import com.imagegateway.images.WebhookEvent;

/**
 * One event's delivery to a job's webhook, as the store keeps it between attempts, so
 * that any replica can take it over. Its id is the {@code webhook-id} of every attempt,
 * the same on redeliveries: receivers drop duplicates by it.
 *
 * @param payload the job as it was when the event happened, as JSON: every attempt sends
 * it unchanged
 * @param nextAttemptAt when it is to be tried next; null once settled
 */
public record StoredDelivery(String id, String jobId, String client, WebhookEvent event, String url, String payload,
		Status status, int attempts, @Nullable String lastError, Instant createdAt, @Nullable Instant nextAttemptAt) {

	static final Duration LONGEST_RETRY = Duration.ofHours(1);

	public enum Status {

		PENDING, DELIVERED, FAILED, GONE;

		String value() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	/** The id of a job's delivery of one event: one per event, whoever queues it. */
	public static String id(String jobId, WebhookEvent event) {
		return "igw_" + jobId + "_" + event.value();
	}

	static StoredDelivery pending(String jobId, String client, WebhookEvent event, String url, String payload,
			Instant now) {
		return new StoredDelivery(id(jobId, event), jobId, client, event, url, payload, Status.PENDING, 0, null, now,
				now);
	}

	boolean settled() {
		return this.status != Status.PENDING;
	}

	StoredDelivery delivered() {
		return new StoredDelivery(this.id, this.jobId, this.client, this.event, this.url, this.payload,
				Status.DELIVERED, this.attempts + 1, null, this.createdAt, null);
	}

	StoredDelivery gone(String error) {
		return new StoredDelivery(this.id, this.jobId, this.client, this.event, this.url, this.payload, Status.GONE,
				this.attempts + 1, error, this.createdAt, null);
	}

	/**
	 * After a failed attempt: tried again after an exponential backoff with jitter, or
	 * given up when the next try would fall past {@code retryFor} after the event.
	 */
	StoredDelivery failed(String error, Instant now, Duration firstRetry, Duration retryFor) {
		int attempts = this.attempts + 1;
		Duration backoff = firstRetry.multipliedBy(1L << Math.min(attempts - 1, 20));
		if (backoff.compareTo(LONGEST_RETRY) > 0) {
			backoff = LONGEST_RETRY;
		}
		// ±20 %: many deliveries failing together do not come back together
		long jittered = (long) (backoff.toMillis() * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
		Instant next = now.plusMillis(jittered);
		boolean givenUp = next.isAfter(this.createdAt.plus(retryFor));
		return new StoredDelivery(this.id, this.jobId, this.client, this.event, this.url, this.payload,
				givenUp ? Status.FAILED : Status.PENDING, attempts, error, this.createdAt, givenUp ? null : next);
	}

	JobWebhooks.Delivery view() {
		return new JobWebhooks.Delivery(this.event, this.status.value(), this.attempts, this.lastError);
	}

}
