package com.imagegateway.images;

import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The events of a job a webhook can be told of, named as the upstream's
 * {@code webhook_events_filter} names them: {@code start} when the job is first seen
 * running (or finished, if it ran between two checks), {@code completed} when it has
 * finished and its images are stored.
 */
@Schema(name = "WebhookEvent", description = "A job event a webhook is told of.")
public enum WebhookEvent {

	START, COMPLETED;

	@JsonValue
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static Optional<WebhookEvent> fromValue(String value) {
		for (WebhookEvent event : values()) {
			if (event.value().equals(value)) {
				return Optional.of(event);
			}
		}
		return Optional.empty();
	}

}
