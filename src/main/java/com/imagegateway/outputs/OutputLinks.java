package com.imagegateway.outputs;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import com.imagegateway.images.SignedOutputLinks;
import com.imagegateway.storage.StorageProperties;

import org.springframework.stereotype.Component;

/**
 * Signed links to stored outputs, which work without a key (a web page can show them)
 * until they expire: an HMAC-SHA256 over the path and the expiry with
 * {@code gateway.storage.signing-secret}. Expiries are rounded down to a five-minute
 * step, so that a finished job renders the same links, and the same bytes, for five
 * minutes at a time.
 */
@Component
class OutputLinks implements SignedOutputLinks {

	private static final Log logger = LogFactory.getLog(OutputLinks.class);

	private static final long STEP_SECONDS = Duration.ofMinutes(5).toSeconds();

	private static final String HMAC = "HmacSHA256";

	private final SecretKeySpec key;

	private final long ttlSeconds;

	private final Clock clock;

	OutputLinks(StorageProperties properties, Clock clock) {
		byte[] secret = properties.signingSecret().getBytes(StandardCharsets.UTF_8);
		if (secret.length == 0) {
			secret = new byte[32];
			new SecureRandom().nextBytes(secret);
			logger.info("No gateway.storage.signing-secret: signed output links are signed with a random key and "
					+ "stop working when this process stops; set one shared by every replica");
		}
		this.key = new SecretKeySpec(secret, HMAC);
		this.ttlSeconds = properties.signedUrlTtl().toSeconds();
		this.clock = clock;
	}

	@Override
	public long expires() {
		long now = this.clock.instant().getEpochSecond();
		return now - (now % STEP_SECONDS) + this.ttlSeconds;
	}

	@Override
	public String signed(URI gateway, String path) {
		long expires = expires();
		return gateway.resolve(path + "?" + EXPIRES + "=" + expires + "&" + SIGNATURE + "=" + signature(path, expires))
			.toString();
	}

	Verdict verify(String path, String expires, String signature) {
		long at;
		try {
			at = Long.parseLong(expires);
		}
		catch (NumberFormatException ex) {
			return Verdict.INVALID;
		}
		byte[] expected = signature(path, at).getBytes(StandardCharsets.US_ASCII);
		if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
			return Verdict.INVALID;
		}
		return (this.clock.instant().getEpochSecond() < at) ? Verdict.VALID : Verdict.EXPIRED;
	}

	private String signature(String path, long expires) {
		try {
			Mac mac = Mac.getInstance(HMAC);
			mac.init(this.key);
			byte[] digest = mac.doFinal((path + "\n" + expires).getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	enum Verdict {

		VALID, INVALID, EXPIRED

	}

}
