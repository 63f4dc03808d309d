package com.imagegateway.clients;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.imagegateway.upstream.UpstreamKey;
import com.imagegateway.upstream.UpstreamProperties;
import com.imagegateway.upstream.Upstreams;

/**
 * One complete, checked configuration of clients: built as a whole or not at all, so that
 * a configuration that cannot work is refused before any of it applies. Configured hashes
 * are decoded once and compared the {@link KeyHashes} way.
 */
final class ClientSet {

	private final List<Entry> entries;

	private final KeyHashes keys;

	private final Map<String, GatewayClient> byName;

	private final Map<String, List<byte[]>> webhookKeys;

	private final Set<String> models;

	private ClientSet(List<Entry> entries, Map<String, GatewayClient> byName, Map<String, List<byte[]>> webhookKeys) {
		this.entries = entries;
		this.keys = KeyHashes.parse("gateway.clients.*.key-sha256", entries.stream().map(Entry::keyHash).toList());
		this.byName = byName;
		this.webhookKeys = webhookKeys;
		this.models = byName.values()
			.stream()
			.flatMap((client) -> client.models().stream())
			.collect(Collectors.toUnmodifiableSet());
	}

	/**
	 * @throws IllegalStateException naming the property that cannot work, never a value
	 * that may be secret
	 */
	static ClientSet of(Map<String, ClientsProperties.Client> configured, UpstreamProperties upstream,
			DefaultLimitsProperties defaults) {
		ClientLimits defaultLimits = defaults.limits().asClientLimits();
		Map<String, List<String>> readsFrom = cacheReaders(configured);
		Map<String, GatewayClient> byName = new LinkedHashMap<>();
		Map<String, List<byte[]>> webhookKeys = new LinkedHashMap<>();
		List<Entry> entries = configured.entrySet().stream().flatMap((e) -> {
			String name = e.getKey();
			ClientsProperties.Client client = e.getValue();
			GatewayClient gatewayClient = client(name, client, upstream, defaults, defaultLimits, readsFrom.get(name));
			byName.put(name, gatewayClient);
			if (!client.webhookSecret().isEmpty()) {
				webhookKeys.put(name,
						WebhookKeys.decode("gateway.clients." + name + ".webhook-secret", client.webhookSecret()));
			}
			return client.keySha256().stream().map((hash) -> new Entry(hash.toLowerCase(Locale.ROOT), gatewayClient));
		}).toList();
		rejectSharedKeys(entries);
		return new ClientSet(entries, Collections.unmodifiableMap(byName), Map.copyOf(webhookKeys));
	}

	/**
	 * For each client, the clients whose cached results may answer it: itself, then each
	 * that names it in {@code cache.shared-with}.
	 */
	private static Map<String, List<String>> cacheReaders(Map<String, ClientsProperties.Client> configured) {
		Map<String, List<String>> readsFrom = new LinkedHashMap<>();
		configured.keySet().forEach((name) -> readsFrom.put(name, new ArrayList<>(List.of(name))));
		configured.forEach((owner, client) -> {
			if (client.cache() == null) {
				return;
			}
			for (String reader : client.cache().sharedWith()) {
				List<String> sources = readsFrom.get(reader);
				if (sources == null) {
					throw new IllegalStateException("gateway.clients." + owner + ".cache.shared-with names '" + reader
							+ "', which is not a client");
				}
				if (!reader.equals(owner)) {
					sources.add(owner);
				}
			}
		});
		return readsFrom;
	}

	private static GatewayClient client(String name, ClientsProperties.Client client, UpstreamProperties upstream,
			DefaultLimitsProperties defaults, ClientLimits defaultLimits, List<String> cacheReadsFrom) {
		String property = "gateway.clients." + name;
		if (client.keySha256().isEmpty()) {
			throw new IllegalStateException(
					property + ".key-sha256 is empty: every client needs the SHA-256 of its key");
		}
		client.keySha256().forEach((hash) -> KeyHashes.decode(property + ".key-sha256", hash));
		if (!client.sandbox()) {
			checkUpstreamKey(property + ".upstream-key", name, client.upstreamKey(), upstream);
		}
		String fallback = client.fallbackUpstreamKey();
		if (fallback != null) {
			if (client.sandbox() || fallback.equals(client.upstreamKey())) {
				throw new IllegalStateException(property
						+ ".fallback-upstream-key must name another upstream key than its upstream-key, and a sandbox has none");
			}
			checkUpstreamKey(property + ".fallback-upstream-key", name, fallback, upstream);
		}
		JobDeadlines deadlines = client.deadlines().orElse(defaults.deadlines());
		if (deadlines.defaultCancelAfter() != null && !deadlines.allows(deadlines.defaultCancelAfter())) {
			throw new IllegalStateException(property + ".default-cancel-after is longer than its max-cancel-after");
		}
		PromptRules prompt = ((client.prompt() != null) ? client.prompt() : PromptRules.NONE)
			.orElse(defaults.promptOrNone());
		return new GatewayClient(name, client.sandbox() ? Upstreams.SANDBOX : client.upstreamKey(),
				new LinkedHashSet<>(client.models()),
				((client.limits() != null) ? client.limits() : ClientLimits.NONE).orElse(defaultLimits),
				(client.budget() != null) ? client.budget() : defaults.budget(),
				PromptPolicy.of(property + ".prompt", prompt), deadlines, fallback,
				new CachePolicy((client.cache() != null) ? client.cache().ttl() : null, cacheReadsFrom));
	}

	private static void checkUpstreamKey(String property, String client, String keyName, UpstreamProperties upstream) {
		if (!upstream.keys().containsKey(keyName)) {
			throw new IllegalStateException(property + " names '" + keyName
					+ "', which is not one of gateway.upstream.keys " + upstream.keys().keySet());
		}
		UpstreamKey key = upstream.keys().get(keyName);
		if (key == null || !key.isSet()) {
			throw new IllegalStateException("gateway.clients." + client + " uses upstream key '" + keyName
					+ "', which is empty: set gateway.upstream.keys." + keyName
					+ " (UPSTREAM_API_KEY for 'default') or make the client a sandbox");
		}
		if (upstream.baseUrlOf(keyName) == null) {
			throw new IllegalStateException("gateway.clients." + client
					+ " uses the real upstream, so gateway.upstream.base-url (or gateway.upstream.keys." + keyName
					+ ".base-url) must be set (or make the client a sandbox)");
		}
	}

	private static void rejectSharedKeys(List<Entry> entries) {
		Set<String> seen = new HashSet<>();
		for (Entry entry : entries) {
			if (!seen.add(entry.keyHash())) {
				throw new IllegalStateException("gateway.clients." + entry.client().name()
						+ ".key-sha256 repeats a key hash already configured: every client needs its own key");
			}
		}
	}

	Optional<GatewayClient> authenticate(String presentedKey) {
		int match = this.keys.indexOf(KeyHashes.sha256(presentedKey));
		return (match < 0) ? Optional.empty() : Optional.of(this.entries.get(match).client());
	}

	List<GatewayClient> clients() {
		return List.copyOf(this.byName.values());
	}

	Optional<GatewayClient> named(String name) {
		return Optional.ofNullable(this.byName.get(name));
	}

	Map<String, List<byte[]>> webhookKeys() {
		return this.webhookKeys;
	}

	Set<String> models() {
		return this.models;
	}

	private record Entry(String keyHash, GatewayClient client) {
	}

}
