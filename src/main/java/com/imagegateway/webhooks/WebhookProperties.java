package com.imagegateway.webhooks;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Webhook deliveries to callers.
 *
 * @param allowedHosts hosts (exactly as in the URL, case-insensitive) a webhook may name
 * even though they are served over plain {@code http} or resolve to a loopback, private,
 * link-local or other internal address; every other host must be {@code https} and public
 * @param timeout how long a receiver has to answer a delivery with a 2xx
 * @param retryFor how long a delivery that fails is tried again, with exponential backoff
 * @param firstRetry how long the first retry waits; each later one twice as long, up to
 * an hour
 */
@Validated
@ConfigurationProperties("gateway.webhooks")
public record WebhookProperties(@DefaultValue List<String> allowedHosts, @NotNull @DefaultValue("10s") Duration timeout,
		@NotNull @DefaultValue("24h") Duration retryFor, @NotNull @DefaultValue("5s") Duration firstRetry) {

	boolean allows(String host) {
		return this.allowedHosts.stream().anyMatch((allowed) -> allowed.equalsIgnoreCase(host));
	}

}
