package com.imagegateway.clients;

import java.util.Base64;
import java.util.List;

/**
 * A client's webhook signing keys, decoded from {@code webhook-secret}: {@code whsec_}
 * and the key in base64, as Standard Webhooks and the upstream write them. A malformed
 * secret is refused with a message that does not repeat it.
 */
final class WebhookKeys {

	private static final String PREFIX = "whsec_";

	/** Standard Webhooks asks for 24 to 64 bytes. */
	private static final int SHORTEST_KEY = 24;

	private WebhookKeys() {
	}

	static List<byte[]> decode(String property, List<String> secrets) {
		return secrets.stream().map((secret) -> decode(property, secret)).toList();
	}

	private static byte[] decode(String property, String secret) {
		if (secret == null || !secret.strip().startsWith(PREFIX)) {
			throw new IllegalStateException(property + " must be whsec_ followed by the key in base64");
		}
		byte[] key;
		try {
			key = Base64.getDecoder().decode(secret.strip().substring(PREFIX.length()));
		}
		catch (IllegalArgumentException notBase64) {
			throw new IllegalStateException(
					property + " must be whsec_ followed by the key in base64 (it is not base64)");
		}
		if (key.length < SHORTEST_KEY) {
			throw new IllegalStateException(property + " must hold a key of at least " + SHORTEST_KEY + " bytes");
		}
		return key;
	}

}
