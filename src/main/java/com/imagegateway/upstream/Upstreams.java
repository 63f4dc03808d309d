package com.imagegateway.upstream;

import java.util.Map;

/**
 * Every upstream the gateway can send work to, by name: one per configured upstream key,
 * plus the sandbox. Built once at start-up by {@link UpstreamConfiguration}.
 */
public class Upstreams {

	/** The name under which sandbox clients are served. */
	public static final String SANDBOX = "sandbox";

	private final Map<String, Predictions> byName;

	public Upstreams(Map<String, Predictions> byName) {
		this.byName = Map.copyOf(byName);
	}

	/** The upstream with this name: an upstream key's name or {@link #SANDBOX}. */
	public Predictions named(String name) {
		Predictions predictions = this.byName.get(name);
		if (predictions == null) {
			throw new IllegalStateException("No upstream named '" + name + "'");
		}
		return predictions;
	}

}
