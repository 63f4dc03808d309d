package com.imagegateway.images;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The RFC 7240 {@code wait} preference: {@code Prefer: wait} waits the longest allowed,
 * {@code Prefer: wait=N} N seconds, capped. Malformed preferences are ignored, as the RFC
 * asks.
 */
record PreferWait(Duration duration) {

	static final Duration LONGEST = Duration.ofSeconds(60);

	/**
	 * The wait preference in {@code Prefer} header values, which Spring joins with
	 * commas.
	 */
	static Optional<PreferWait> parse(@Nullable String prefer) {
		if (prefer == null) {
			return Optional.empty();
		}
		for (String preference : prefer.split(",")) {
			String token = preference.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
			if (token.equals("wait")) {
				return Optional.of(new PreferWait(LONGEST));
			}
			if (token.startsWith("wait=")) {
				try {
					long seconds = Long.parseLong(token.substring(5).strip().replace("\"", ""));
					if (seconds >= 0) {
						return Optional.of(new PreferWait(Duration.ofSeconds(Math.min(seconds, LONGEST.toSeconds()))));
					}
				}
				catch (NumberFormatException ignored) {
					// not a number: the preference is ignored
				}
			}
		}
		return Optional.empty();
	}

	String applied() {
		return "wait=" + this.duration.toSeconds();
	}

}
