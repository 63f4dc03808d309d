package com.imagegateway.clients;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.imagegateway.upstream.UpstreamProperties;

import org.springframework.stereotype.Component;

/**
 * Maps a presented caller key to its client. The clients are {@code gateway.clients} plus
 * those of {@code gateway.clients-file}, which {@link ClientsFileWatcher} reloads: each
 * change is checked as a whole and then swapped in at once, so a request sees the old
 * clients or the new ones, never half of each.
 */
@Component
public class ClientRegistry {

	private final Map<String, ClientsProperties.Client> configured;

	private final UpstreamProperties upstream;

	private final DefaultLimitsProperties defaults;

	private volatile ClientSet current;

	/**
	 * Webhook keys of clients since removed: deliveries of their jobs still running are
	 * signed as they were promised.
	 */
	private final Map<String, List<byte[]>> retiredWebhookKeys = new ConcurrentHashMap<>();

	ClientRegistry(ClientsProperties properties, UpstreamProperties upstream, DefaultLimitsProperties defaults,
			ClientsFile file) {
		this.configured = properties.clients();
		this.upstream = upstream;
		this.defaults = defaults;
		this.current = build(file.load());
	}

	public Optional<GatewayClient> authenticate(String presentedKey) {
		return this.current.authenticate(presentedKey);
	}

	public List<GatewayClient> clients() {
		return this.current.clients();
	}

	/** The client of that name now, if it is still configured. */
	public Optional<GatewayClient> named(String name) {
		return this.current.named(name);
	}

	/** Every model some client is limited to: the model names metrics tag by. */
	public Set<String> models() {
		return this.current.models();
	}

	/** Whether the client may ask for webhooks (it has a key to sign them with). */
	public boolean hasWebhookKeys(String client) {
		return this.current.webhookKeys().containsKey(client);
	}

	/** The client's webhook signing keys, the newest last; empty when it has none. */
	public List<byte[]> webhookKeys(String client) {
		List<byte[]> keys = this.current.webhookKeys().get(client);
		return (keys != null) ? keys : this.retiredWebhookKeys.getOrDefault(client, List.of());
	}

	/**
	 * Applies the clients of {@code gateway.clients-file} anew, all or nothing.
	 * @throws IllegalStateException naming what cannot work; the running clients stay
	 */
	synchronized void replace(Map<String, ClientsProperties.Client> fromFile) {
		ClientSet next = build(fromFile);
		this.current.webhookKeys().forEach((name, keys) -> {
			if (!next.webhookKeys().containsKey(name)) {
				this.retiredWebhookKeys.put(name, keys);
			}
		});
		next.webhookKeys().keySet().forEach(this.retiredWebhookKeys::remove);
		this.current = next;
	}

	private ClientSet build(Map<String, ClientsProperties.Client> fromFile) {
		Map<String, ClientsProperties.Client> all = new LinkedHashMap<>(this.configured);
		fromFile.forEach((name, client) -> {
			if (all.putIfAbsent(name, client) != null) {
				throw new IllegalStateException("Client '" + name
						+ "' is configured both in gateway.clients and in gateway.clients-file: configure it once");
			}
		});
		return ClientSet.of(all, this.upstream, this.defaults);
	}

}
