package com.imagegateway.clients;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import com.imagegateway.upstream.ModelRef;

/**
 * An authenticated caller.
 *
 * @param name the configured client name
 * @param upstream the upstream that serves it: an upstream key's name, or the sandbox
 * @param models the {@code owner/name} models it may use; empty means all
 * @param limits its limits, defaults applied
 * @param budget what it may spend per period, defaults applied; null: no budget
 * @param prompt what its prompts may not be, defaults applied
 * @param deadlines how long its jobs may run, defaults applied
 * @param fallbackUpstream the upstream key its creates go to when {@code upstream}
 * provably created nothing; null: none
 * @param cache how it uses the cache of seeded requests
 */
public record GatewayClient(String name, String upstream, Set<String> models, ClientLimits limits,
		@Nullable ClientBudget budget, PromptPolicy prompt, JobDeadlines deadlines, @Nullable String fallbackUpstream,
		CachePolicy cache) {

	public GatewayClient(String name, String upstream, Set<String> models, ClientLimits limits,
			@Nullable ClientBudget budget) {
		this(name, upstream, models, limits, budget, PromptPolicy.NONE, JobDeadlines.NONE, null,
				new CachePolicy(null, List.of(name)));
	}

	/** The exchange attribute under which an authenticated request carries its client. */
	public static final String ATTRIBUTE = GatewayClient.class.getName();

	/** The authenticated client among an exchange's attributes, if there is one. */
	public static Optional<GatewayClient> of(Map<String, Object> attributes) {
		return (attributes.get(ATTRIBUTE) instanceof GatewayClient client) ? Optional.of(client) : Optional.empty();
	}

	public boolean mayUse(ModelRef model) {
		return this.models.isEmpty() || this.models.contains(model.path());
	}

}
