package com.imagegateway.clients;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The internal callers (teams) allowed to use the gateway.
 *
 * @param clients each client by name; the name is what metrics, logs and billing show
 * @param clientsFile YAML files of more clients, each a map from client name to what
 * {@code gateway.clients} holds (a later file's setting wins, so hashes and secrets can
 * come from a Secret's file and the rest from a ConfigMap's), read again while the
 * gateway runs: a change applies as a whole or, if invalid, not at all
 * @param clientsFileCheckInterval how often {@code clients-file} is read again
 */
@Validated
@ConfigurationProperties("gateway")
public record ClientsProperties(@DefaultValue Map<String, @Valid @NotNull Client> clients,
		@DefaultValue List<Path> clientsFile, @NotNull @DefaultValue("2s") Duration clientsFileCheckInterval) {

	/**
	 * One caller.
	 *
	 * @param keySha256 hex SHA-256 of the caller's key; raw caller keys are never
	 * configured. Two (comma-separated, or a list) while a key is being rotated: the old
	 * one and the new one
	 * @param upstreamKey name of the upstream key under {@code gateway.upstream.keys} its
	 * work is billed to
	 * @param models models the client may use, as {@code owner/name}; empty means all
	 * @param sandbox whether the built-in simulated upstream serves this client instead
	 * of the real one
	 * @param limits its own limits; unset parts fall back to
	 * {@code gateway.defaults.limits}
	 * @param webhookSecret the key its webhook deliveries are signed with,
	 * {@code whsec_<base64>} (Standard Webhooks). Two (comma-separated, or a list) while
	 * it is being rotated: each delivery then carries a signature by each. None: the
	 * client may not ask for webhooks
	 * @param budget what it may spend per period; unset: {@code gateway.defaults.budget}
	 * @param prompt what its prompts may not be; unset parts:
	 * {@code gateway.defaults.prompt}
	 * @param defaultCancelAfter the deadline of its jobs created without
	 * {@code cancelAfter} (5 s to 24 h); unset:
	 * {@code gateway.defaults.default-cancel-after}
	 * @param maxCancelAfter the longest {@code cancelAfter} it may ask for (5 s to 24 h);
	 * a longer one is refused; unset: {@code gateway.defaults.max-cancel-after}
	 */
	public record Client(
			// checked by ClientRegistry, whose message does not repeat the value: it may
			// be a raw key by mistake
			@DefaultValue List<String> keySha256, @DefaultValue("default") String upstreamKey,
			@DefaultValue List<@Pattern(regexp = "[\\w.-]+/[\\w.-]+", message = "must be owner/name") String> models,
			@DefaultValue("false") boolean sandbox, @Valid @Nullable ClientLimits limits,
			// checked by WebhookSecrets, whose message does not repeat the value
			@DefaultValue List<String> webhookSecret, @Valid @Nullable ClientBudget budget,
			@Valid @Nullable PromptRules prompt,
			@DurationMin(seconds = 5) @DurationMax(hours = 24) @Nullable Duration defaultCancelAfter,
			@DurationMin(seconds = 5) @DurationMax(hours = 24) @Nullable Duration maxCancelAfter,
			@Nullable String fallbackUpstreamKey, @Valid @Nullable ClientCache cache) {

		JobDeadlines deadlines() {
			return new JobDeadlines(this.defaultCancelAfter, this.maxCancelAfter);
		}

	}

}
