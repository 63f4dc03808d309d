package com.imagegateway.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a receiver does with a delivery, written from the Standard Webhooks specification
 * rather than from the gateway's signer: checks the timestamp's age, then looks for a
 * {@code v1} signature over {@code id.timestamp.body} made with its {@code whsec_}
 * secret.
 */
final class StandardWebhooksVerifier {

	private static final Duration TOLERANCE = Duration.ofMinutes(5);

	private final byte[] key;

	StandardWebhooksVerifier(String secret) {
		this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
	}

	boolean verifies(String id, String timestamp, String signatures, byte[] body, Instant now) {
		if (id == null || timestamp == null || signatures == null) {
			return false;
		}
		Instant sent = Instant.ofEpochSecond(Long.parseLong(timestamp));
		if (Duration.between(sent, now).abs().compareTo(TOLERANCE) > 0) {
			return false;
		}
		byte[] expected = hmac((id + "." + timestamp + "." + new String(body, StandardCharsets.UTF_8))
			.getBytes(StandardCharsets.UTF_8));
		for (String signature : signatures.split(" ")) {
			String[] parts = signature.split(",", 2);
			if (parts.length == 2 && parts[0].equals("v1")
					&& MessageDigest.isEqual(Base64.getDecoder().decode(parts[1]), expected)) {
				return true;
			}
		}
		return false;
	}

	private byte[] hmac(byte[] content) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(this.key, "HmacSHA256"));
			return mac.doFinal(content);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
