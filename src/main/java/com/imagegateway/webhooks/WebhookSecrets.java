package com.imagegateway.webhooks;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.imagegateway.clients.ClientsProperties;

import org.springframework.stereotype.Component;

/**
 * Each client's webhook signing keys, decoded once from
 * {@code gateway.clients.<name>.webhook-secret} ({@code whsec_} and the key in base64, as
 * Standard Webhooks and the upstream write them). A malformed secret stops the start-up,
 * with a message that does not repeat it.
 */
@Component
public class WebhookSecrets {

	private static final String PREFIX = "whsec_";

	/** Standard Webhooks asks for 24 to 64 bytes. */
	private static final int SHORTEST_KEY = 24;

	private final Map<String, List<byte[]>> keys;

	public WebhookSecrets(ClientsProperties clients) {
		this.keys = clients.clients()
			.entrySet()
			.stream()
			.filter((entry) -> !entry.getValue().webhookSecret().isEmpty())
			.collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
					(entry) -> entry.getValue()
						.webhookSecret()
						.stream()
						.map((secret) -> decode(entry.getKey(), secret))
						.toList()));
	}

	/**
	 * Whether the client has a key to sign its deliveries with, so may ask for webhooks.
	 */
	public boolean has(String client) {
		return this.keys.containsKey(client);
	}

	/** The client's keys, the newest last; empty when it has none. */
	List<byte[]> of(String client) {
		return this.keys.getOrDefault(client, List.of());
	}

	private static byte[] decode(String client, String secret) {
		String where = "gateway.clients." + client + ".webhook-secret";
		if (secret == null || !secret.strip().startsWith(PREFIX)) {
			throw new IllegalStateException(where + " must be whsec_ followed by the key in base64");
		}
		byte[] key;
		try {
			key = Base64.getDecoder().decode(secret.strip().substring(PREFIX.length()));
		}
		catch (IllegalArgumentException notBase64) {
			throw new IllegalStateException(where + " must be whsec_ followed by the key in base64 (it is not base64)");
		}
		if (key.length < SHORTEST_KEY) {
			throw new IllegalStateException(where + " must hold a key of at least " + SHORTEST_KEY + " bytes");
		}
		return key;
	}

}
