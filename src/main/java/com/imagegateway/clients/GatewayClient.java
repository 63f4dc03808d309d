package com.imagegateway.clients;

import java.util.Set;

import com.imagegateway.upstream.ModelRef;

/**
 * An authenticated caller.
 *
 * @param name the configured client name
 * @param upstream the upstream that serves it: an upstream key's name, or the sandbox
 * @param models the {@code owner/name} models it may use; empty means all
 */
public record GatewayClient(String name, String upstream, Set<String> models) {

	public boolean mayUse(ModelRef model) {
		return this.models.isEmpty() || this.models.contains(model.path());
	}

}
