package com.imagegateway.upstream;

import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * One upstream key: the {@code hk-} key, and the base URL of its account when that is not
 * {@code gateway.upstream.base-url} (a second account, or a second reseller, to fail over
 * to). Configured as the key alone or as {@code {key, base-url}}.
 *
 * @param key the {@code hk-} key; blank counts as not set
 * @param baseUrl its account's base URL ending in {@code /replicate}; unset:
 * {@code gateway.upstream.base-url}
 */
public record UpstreamKey(@Nullable String key, @Nullable URI baseUrl) {

	/**
	 * An upstream key configured as the key alone (the binder converts such a value with
	 * this).
	 */
	public static UpstreamKey valueOf(String key) {
		return new UpstreamKey(key, null);
	}

	/** Whether the key is set. */
	public boolean isSet() {
		return this.key != null && !this.key.isBlank();
	}

	@Override
	public String toString() {
		// a secret: never printed, not even in a binding failure report
		return "UpstreamKey[baseUrl=" + this.baseUrl + "]";
	}

}
