package com.imagegateway.webhooks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import com.imagegateway.queue.QueueWork;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Sends the deliveries the {@link WebhookQueue} assigns to this replica, each on a timer
 * (no thread each) until it is settled: delivered (a 2xx), gone (a {@code 410}: the
 * receiver wants no more), or failed after {@code gateway.webhooks.retry-for} of retries
 * with exponential backoff. Each attempt's outcome is stored before the next is
 * scheduled, so a replica that takes a delivery over goes on where this one stopped.
 */
@Component
class WebhookDeliverer implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(WebhookDeliverer.class);

	private final WebhookDeliveryStore store;

	private final WebhookSender sender;

	private final WebhookProperties properties;

	private final Clock clock;

	private final MeterRegistry registry;

	private final QueueWork deliveries;

	WebhookDeliverer(WebhookQueue queue, WebhookDeliveryStore store, WebhookSender sender, WebhookProperties properties,
			Clock clock, MeterRegistry registry) {
		this.deliveries = new QueueWork(queue.entries(), "Webhook deliveries", queue.takeoverAfter(), this::deliver);
		this.store = store;
		this.sender = sender;
		this.properties = properties;
		this.clock = clock;
		this.registry = registry;
		Gauge.builder("gateway.webhooks.pending", this.deliveries, QueueWork::size)
			.description("Webhook deliveries this replica is making")
			.register(registry);
	}

	@Override
	public void start() {
		this.deliveries.start();
	}

	@Override
	public void stop(Runnable callback) {
		this.deliveries.stop(callback);
	}

	@Override
	public void stop() {
		stop(() -> {
		});
	}

	@Override
	public boolean isRunning() {
		return this.deliveries.isRunning();
	}

	/** Sends the delivery until it is settled; the queue's entry is done then. */
	private Mono<Void> deliver(String id) {
		return Mono.defer(() -> this.store.find(id))
			.retryWhen(QueueWork.STORE_RETRY)
			.filter((delivery) -> !delivery.settled())
			.flatMap(this::untilSettled)
			.then();
	}

	/** Attempts, each when due, until the delivery is settled; completes then. */
	private Mono<StoredDelivery> untilSettled(StoredDelivery pending) {
		AtomicReference<StoredDelivery> latest = new AtomicReference<>(pending);
		return Mono.defer(() -> {
			StoredDelivery delivery = latest.get();
			Instant due = (delivery.nextAttemptAt() != null) ? delivery.nextAttemptAt() : this.clock.instant();
			Duration wait = Duration.between(this.clock.instant(), due);
			return Mono.delay(wait.isNegative() ? Duration.ZERO : wait)
				.then(Mono.defer(() -> attempt(delivery)))
				.flatMap((attempted) -> Mono.defer(() -> this.store.save(attempted))
					.retryWhen(QueueWork.STORE_RETRY)
					.thenReturn(attempted));
		}).repeat().doOnNext(latest::set).takeUntil(StoredDelivery::settled).last(pending);
	}

	private Mono<StoredDelivery> attempt(StoredDelivery delivery) {
		return this.sender.send(delivery).map((attempt) -> {
			StoredDelivery next;
			if (attempt.delivered()) {
				next = delivery.delivered();
			}
			else if (attempt.status() == 410) {
				next = delivery.gone(attempt.error());
			}
			else {
				next = delivery.failed(attempt.error(), this.clock.instant(), this.properties.firstRetry(),
						this.properties.retryFor());
			}
			count(next);
			if (next.status() == StoredDelivery.Status.FAILED) {
				logger.warn("Delivery " + delivery.id() + " of client " + delivery.client() + " given up after "
						+ next.attempts() + " attempts: " + next.lastError());
			}
			return next;
		});
	}

	private void count(StoredDelivery attempted) {
		String outcome = switch (attempted.status()) {
			case DELIVERED -> "delivered";
			case GONE -> "gone";
			case FAILED -> "given_up";
			case PENDING -> "retried";
		};
		Counter.builder("gateway.webhooks.deliveries")
			.description("Webhook delivery attempts by outcome: delivered, retried (failed, to be tried again), "
					+ "given_up (failed for good), gone (the receiver answered 410)")
			.tag("client", attempted.client())
			.tag("event", attempted.event().value())
			.tag("outcome", outcome)
			.register(this.registry)
			.increment();
	}

}
