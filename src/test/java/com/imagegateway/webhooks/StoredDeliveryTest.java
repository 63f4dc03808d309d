package com.imagegateway.webhooks;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.imagegateway.images.WebhookEvent;

import static org.assertj.core.api.Assertions.assertThat;

class StoredDeliveryTest {

	private static final Instant EVENT = Instant.parse("2026-12-04T10:00:00Z");

	private static final Duration FIRST_RETRY = Duration.ofSeconds(5);

	private static final Duration RETRY_FOR = Duration.ofHours(24);

	@Test
	void failedAttemptsWaitTwiceAsLongEachTimeWithJitterUpToAnHour() {
		StoredDelivery delivery = StoredDelivery.pending("job1", "team-a", WebhookEvent.COMPLETED, "https://h/x", "{}",
				EVENT);
		Instant now = EVENT;
		double[] expectedSeconds = { 5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600 };
		for (double expected : expectedSeconds) {
			delivery = delivery.failed("HTTP 500", now, FIRST_RETRY, RETRY_FOR);
			double waited = Duration.between(now, delivery.nextAttemptAt()).toMillis() / 1000.0;
			assertThat(waited).isBetween(expected * 0.8, expected * 1.2);
			assertThat(delivery.status()).isEqualTo(StoredDelivery.Status.PENDING);
			now = delivery.nextAttemptAt();
		}
		assertThat(delivery.attempts()).isEqualTo(expectedSeconds.length);
		assertThat(delivery.lastError()).isEqualTo("HTTP 500");
		assertThat(delivery.id()).isEqualTo("igw_job1_completed");
	}

	@Test
	void aDeliveryIsGivenUpWhenItsNextTryWouldFallPastRetryFor() {
		StoredDelivery delivery = StoredDelivery.pending("job1", "team-a", WebhookEvent.START, "https://h/x", "{}",
				EVENT);
		Instant now = EVENT;
		while (!delivery.settled()) {
			delivery = delivery.failed("no answer within 10 s", now, FIRST_RETRY, RETRY_FOR);
			if (delivery.nextAttemptAt() != null) {
				assertThat(delivery.nextAttemptAt()).isBefore(EVENT.plus(RETRY_FOR));
				now = delivery.nextAttemptAt();
			}
		}
		assertThat(delivery.status()).isEqualTo(StoredDelivery.Status.FAILED);
		assertThat(delivery.nextAttemptAt()).isNull();
		// 5 s doubling to 1 h, then hourly: about 33 tries in 24 h
		assertThat(delivery.attempts()).isBetween(28, 40);
		assertThat(delivery.view().status()).isEqualTo("failed");
		assertThat(delivery.view().lastError()).isEqualTo("no answer within 10 s");
	}

	@Test
	void aDeliveredOrGoneDeliveryIsSettledAndSaysWhy() {
		StoredDelivery pending = StoredDelivery
			.pending("job1", "team-a", WebhookEvent.COMPLETED, "https://h/x", "{}", EVENT)
			.failed("HTTP 502", EVENT, FIRST_RETRY, RETRY_FOR);

		assertThat(pending.delivered().view()).satisfies((view) -> {
			assertThat(view.status()).isEqualTo("delivered");
			assertThat(view.attempts()).isEqualTo(2);
			assertThat(view.lastError()).isNull();
		});
		assertThat(pending.gone("HTTP 410").view().status()).isEqualTo("gone");
		assertThat(pending.gone("HTTP 410").settled()).isTrue();
	}

}
