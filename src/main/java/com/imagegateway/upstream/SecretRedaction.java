package com.imagegateway.upstream;

import java.util.regex.Pattern;

/**
 * Removes anything shaped like a credential from upstream text before it is shown to a
 * caller: an upstream that echoes the request's headers must not leak the key.
 */
final class SecretRedaction {

	private static final Pattern SECRETS = Pattern.compile("(?i)(bearer\\s+\\S+|hk-[A-Za-z0-9_\\-]+)");

	private SecretRedaction() {
	}

	static String redact(String text) {
		return SECRETS.matcher(text).replaceAll("[redacted]");
	}

}
