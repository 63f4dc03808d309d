package com.imagegateway.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Signs a delivery the Standard Webhooks way, as the upstream signs its own: {@code
 * webhook-id}, {@code webhook-timestamp} (Unix seconds) and {@code webhook-signature},
 * one {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">} for each of the client's
 * keys, so a receiver holding either key of a rotation accepts it.
 */
@Component
class WebhookSigner {

	static final String ID = "webhook-id";

	static final String TIMESTAMP = "webhook-timestamp";

	static final String SIGNATURE = "webhook-signature";

	private static final String HMAC = "HmacSHA256";

	private final WebhookSecrets secrets;

	WebhookSigner(WebhookSecrets secrets) {
		this.secrets = secrets;
	}

	/**
	 * The three headers for one attempt: the id stays, the timestamp and signatures are
	 * the attempt's.
	 */
	HttpHeaders sign(String client, String id, Instant at, byte[] body) {
		List<byte[]> keys = this.secrets.of(client);
		if (keys.isEmpty()) {
			throw new IllegalStateException("Client " + client + " has no webhook secret");
		}
		String timestamp = Long.toString(at.getEpochSecond());
		byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
		StringJoiner signatures = new StringJoiner(" ");
		for (byte[] key : keys) {
			Mac mac = mac(key);
			mac.update(prefix);
			mac.update(body);
			signatures.add("v1," + Base64.getEncoder().encodeToString(mac.doFinal()));
		}
		HttpHeaders headers = new HttpHeaders();
		headers.set(ID, id);
		headers.set(TIMESTAMP, timestamp);
		headers.set(SIGNATURE, signatures.toString());
		return headers;
	}

	private static Mac mac(byte[] key) {
		try {
			Mac mac = Mac.getInstance(HMAC);
			mac.init(new SecretKeySpec(key, HMAC));
			return mac;
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

}
