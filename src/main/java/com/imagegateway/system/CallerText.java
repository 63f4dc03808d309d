package com.imagegateway.system;

/**
 * Text a caller sent (a field name, a header value, an HTTP method), made safe to write
 * into a log line or to echo back in a problem: control and line-separator characters are
 * escaped, so that no caller can start a line of its own in a plain-text log (CWE-117),
 * and the length is bounded, so that no caller can make a problem or a log line as large
 * as its request.
 */
public final class CallerText {

	/** The most characters of caller text kept; the rest is only counted. */
	public static final int MAX_LENGTH = 100;

	private CallerText() {
	}

	public static String safe(String text) {
		if (text.length() <= MAX_LENGTH && clean(text)) {
			// the usual case, on every request's access line: nothing to copy
			return text;
		}
		int kept = Math.min(text.length(), MAX_LENGTH);
		StringBuilder safe = new StringBuilder(kept + 16);
		for (int i = 0; i < kept; i++) {
			char c = text.charAt(i);
			switch (c) {
				case '\n' -> safe.append("\\n");
				case '\r' -> safe.append("\\r");
				case '\t' -> safe.append("\\t");
				default -> {
					if (needsEscape(c)) {
						safe.append(String.format("\\u%04x", (int) c));
					}
					else {
						safe.append(c);
					}
				}
			}
		}
		if (text.length() > kept) {
			safe.append("…(").append(text.length() - kept).append(" more)");
		}
		return safe.toString();
	}

	private static boolean clean(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (needsEscape(text.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean needsEscape(char c) {
		return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
	}

}
