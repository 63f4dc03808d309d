package com.imagegateway.clients;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Validation;

import com.imagegateway.upstream.UpstreamProperties;

/** Registries built without a Spring context, for unit tests of other features. */
public final class ClientFixtures {

	private ClientFixtures() {
	}

	/** A registry of these clients, with no upstream configured and default limits. */
	public static ClientRegistry registry(Map<String, ClientsProperties.Client> clients) {
		return registry(clients, file(List.of()));
	}

	static ClientsFile file(List<Path> paths) {
		return new ClientsFile(paths, Validation.buildDefaultValidatorFactory().getValidator(), null);
	}

	static ClientRegistry registry(Map<String, ClientsProperties.Client> clients, ClientsFile file) {
		return new ClientRegistry(new ClientsProperties(clients, List.of(), Duration.ofSeconds(2)),
				new UpstreamProperties(null, Map.of(),
						new UpstreamProperties.Limits(10, Duration.ofSeconds(1), Duration.ZERO), Duration.ofMillis(500),
						Duration.ofSeconds(5), Duration.ofHours(1), null, null, Duration.ofSeconds(15)),
				new DefaultLimitsProperties(
						new DefaultLimitsProperties.Limits(
								new DefaultLimitsProperties.ClientRate(60, Duration.ofMinutes(1)),
								new DefaultLimitsProperties.ReadRate(600, Duration.ofMinutes(1)), 0),
						null, null, null, null),
				file);
	}

	/** A sandbox client with this key hash and these webhook secrets. */
	public static ClientsProperties.Client sandbox(String keySha256, List<String> webhookSecrets) {
		return new ClientsProperties.Client(List.of(keySha256), "default", List.of(), true, null, webhookSecrets, null,
				null, null, null, null, null);
	}

}
