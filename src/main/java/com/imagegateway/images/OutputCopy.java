package com.imagegateway.images;

import org.jspecify.annotations.Nullable;

/**
 * What became of one output of a succeeded job: stored by the gateway (its bytes, type
 * and hash), or not, and why.
 *
 * @param contentType the type the bytes show, when stored
 * @param bytes the size, when stored
 * @param sha256 the hex SHA-256 of the bytes, when stored: the output's strong ETag
 * @param notStoredReason {@code too_large}, {@code not_an_image},
 * {@code type_not_allowed} or {@code lost} (the upstream's link expired or was gone
 * before a download succeeded)
 */
public record OutputCopy(boolean stored, @Nullable String contentType, long bytes, @Nullable String sha256,
		@Nullable String notStoredReason) {

	public static OutputCopy stored(String contentType, long bytes, String sha256) {
		return new OutputCopy(true, contentType, bytes, sha256, null);
	}

	public static OutputCopy notStored(String reason) {
		return new OutputCopy(false, null, 0, null, reason);
	}

}
