package com.imagegateway.clients;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import com.imagegateway.upstream.UpstreamProperties;
import com.imagegateway.upstream.Upstreams;

import org.springframework.stereotype.Component;

/**
 * Maps a presented caller key to its client. Configured hashes are decoded once and
 * compared the {@link KeyHashes} way.
 */
@Component
public class ClientRegistry {

	private final List<Entry> entries;

	private final KeyHashes keys;

	public ClientRegistry(ClientsProperties properties, UpstreamProperties upstream, DefaultLimitsProperties defaults) {
		ClientLimits defaultLimits = defaults.limits().asClientLimits();
		this.entries = properties.clients()
			.entrySet()
			.stream()
			.flatMap((e) -> entries(e, upstream, defaultLimits, defaults.budget()).stream())
			.toList();
		rejectSharedKeys(this.entries);
		this.keys = KeyHashes.parse("gateway.clients.*.key-sha256", this.entries.stream().map(Entry::keyHash).toList());
	}

	public Optional<GatewayClient> authenticate(String presentedKey) {
		int match = this.keys.indexOf(KeyHashes.sha256(presentedKey));
		return (match < 0) ? Optional.empty() : Optional.of(this.entries.get(match).client());
	}

	public List<GatewayClient> clients() {
		return this.entries.stream().map(Entry::client).distinct().toList();
	}

	/** One entry per accepted key hash: a client has two while its key is rotated. */
	private static List<Entry> entries(Map.Entry<String, ClientsProperties.Client> configured,
			UpstreamProperties upstream, ClientLimits defaults, @Nullable ClientBudget defaultBudget) {
		String name = configured.getKey();
		ClientsProperties.Client client = configured.getValue();
		String hashProperty = "gateway.clients." + name + ".key-sha256";
		if (client.keySha256().isEmpty()) {
			throw new IllegalStateException(hashProperty + " is empty: every client needs the SHA-256 of its key");
		}
		client.keySha256().forEach((hash) -> KeyHashes.decode(hashProperty, hash));
		String upstreamName = client.sandbox() ? Upstreams.SANDBOX : client.upstreamKey();
		if (!client.sandbox()) {
			if (!upstream.keys().containsKey(client.upstreamKey())) {
				throw new IllegalStateException(
						"gateway.clients." + name + ".upstream-key names '" + client.upstreamKey()
								+ "', which is not one of gateway.upstream.keys " + upstream.keys().keySet());
			}
			String key = upstream.keys().get(client.upstreamKey());
			if (key == null || key.isBlank()) {
				throw new IllegalStateException("gateway.clients." + name + " uses upstream key '"
						+ client.upstreamKey() + "', which is empty: set gateway.upstream.keys." + client.upstreamKey()
						+ " (UPSTREAM_API_KEY for 'default') or make the client a sandbox");
			}
			if (upstream.baseUrl() == null) {
				throw new IllegalStateException("gateway.clients." + name
						+ " uses the real upstream, so gateway.upstream.base-url must be set (or make the client a sandbox)");
			}
		}
		GatewayClient gatewayClient = new GatewayClient(name, upstreamName, new LinkedHashSet<>(client.models()),
				((client.limits() != null) ? client.limits() : ClientLimits.NONE).orElse(defaults),
				(client.budget() != null) ? client.budget() : defaultBudget);
		return client.keySha256()
			.stream()
			.map((hash) -> new Entry(hash.toLowerCase(Locale.ROOT), gatewayClient))
			.toList();
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

	private record Entry(String keyHash, GatewayClient client) {
	}

}
