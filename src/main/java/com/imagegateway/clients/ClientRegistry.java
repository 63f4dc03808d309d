package com.imagegateway.clients;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import com.imagegateway.upstream.UpstreamProperties;
import com.imagegateway.upstream.Upstreams;

import org.springframework.stereotype.Component;

/**
 * Maps a presented caller key to its client. Configured hashes are decoded once; each
 * lookup hashes the presented key and compares it with every client's hash in constant
 * time, so neither timing nor early exit tells how close a guess was.
 */
@Component
public class ClientRegistry {

	private static final MessageDigest SHA_256 = sha256Prototype();

	private final List<Entry> entries;

	public ClientRegistry(ClientsProperties properties, UpstreamProperties upstream, DefaultLimitsProperties defaults) {
		ClientLimits defaultLimits = defaults.limits().asClientLimits();
		this.entries = properties.clients()
			.entrySet()
			.stream()
			.flatMap((e) -> entries(e, upstream, defaultLimits, defaults.budget()).stream())
			.toList();
		rejectSharedKeys(this.entries);
	}

	public Optional<GatewayClient> authenticate(String presentedKey) {
		byte[] presented = sha256(presentedKey);
		GatewayClient match = null;
		for (Entry entry : this.entries) {
			if (MessageDigest.isEqual(entry.keyHash(), presented)) {
				match = entry.client();
			}
		}
		return Optional.ofNullable(match);
	}

	public List<GatewayClient> clients() {
		return this.entries.stream().map(Entry::client).distinct().toList();
	}

	/** One entry per accepted key hash: a client has two while its key is rotated. */
	private static List<Entry> entries(Map.Entry<String, ClientsProperties.Client> configured,
			UpstreamProperties upstream, ClientLimits defaults, @Nullable ClientBudget defaultBudget) {
		String name = configured.getKey();
		ClientsProperties.Client client = configured.getValue();
		if (client.keySha256().isEmpty()
				|| client.keySha256().stream().anyMatch((hash) -> !hash.matches("[0-9a-fA-F]{64}"))) {
			throw new IllegalStateException("gateway.clients." + name
					+ ".key-sha256 must be the 64 hex digits of the SHA-256 of the caller's key, never the key itself "
					+ "(for example: printf %s \"$KEY\" | sha256sum)");
		}
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
			.map((hash) -> new Entry(HexFormat.of().parseHex(hash), gatewayClient))
			.toList();
	}

	private static void rejectSharedKeys(List<Entry> entries) {
		Set<String> seen = new HashSet<>();
		for (Entry entry : entries) {
			if (!seen.add(HexFormat.of().formatHex(entry.keyHash()))) {
				throw new IllegalStateException("gateway.clients." + entry.client().name()
						+ ".key-sha256 repeats a key hash already configured: every client needs its own key");
			}
		}
	}

	static byte[] sha256(String value) {
		try {
			// a clone skips getInstance's provider lookup, most of a lookup's cost per
			// request
			return ((MessageDigest) SHA_256.clone()).digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (CloneNotSupportedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static MessageDigest sha256Prototype() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Entry(byte[] keyHash, GatewayClient client) {
	}

}
