package com.imagegateway.clients;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The one rule for keys the gateway accepts: configuration holds the SHA-256 of a key,
 * never the key, and a presented key is hashed and compared in constant time with every
 * accepted hash, so neither timing nor an early exit tells how close a guess was.
 */
public final class KeyHashes {

	private static final MessageDigest SHA_256 = sha256Prototype();

	private final List<byte[]> hashes;

	private KeyHashes(List<byte[]> hashes) {
		this.hashes = hashes;
	}

	/**
	 * Decodes configured hashes, refusing anything that is not 64 hex digits (most often
	 * the key itself pasted by mistake) with a message that names the property only.
	 */
	public static KeyHashes parse(String property, List<String> configured) {
		return new KeyHashes(configured.stream().map((hash) -> decode(property, hash)).toList());
	}

	static byte[] decode(String property, String hash) {
		if (!hash.matches("[0-9a-fA-F]{64}")) {
			throw new IllegalStateException(property + " must be the 64 hex digits of the SHA-256 of the key, never "
					+ "the key itself (for example: printf %s \"$KEY\" | sha256sum)");
		}
		return HexFormat.of().parseHex(hash);
	}

	public boolean isEmpty() {
		return this.hashes.isEmpty();
	}

	/** Whether the presented key hashes to one of these; always compares with all. */
	public boolean matches(String presentedKey) {
		return indexOf(sha256(presentedKey)) >= 0;
	}

	int indexOf(byte[] presentedHash) {
		int match = -1;
		for (int i = 0; i < this.hashes.size(); i++) {
			if (MessageDigest.isEqual(this.hashes.get(i), presentedHash)) {
				match = i;
			}
		}
		return match;
	}

	static byte[] sha256(String value) {
		try {
			// a clone skips getInstance's provider lookup, most of a lookup's cost per
			// request
			return ((MessageDigest) SHA_256.clone()).digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (CloneNotSupportedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static MessageDigest sha256Prototype() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
