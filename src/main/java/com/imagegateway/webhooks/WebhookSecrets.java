package com.imagegateway.webhooks;

import java.util.List;

import com.imagegateway.clients.ClientRegistry;

import org.springframework.stereotype.Component;

/**
 * Each client's webhook signing keys, from {@code gateway.clients.<name>.webhook-secret}
 * as the {@link ClientRegistry} holds them now.
 */
@Component
public class WebhookSecrets {

	private final ClientRegistry clients;

	public WebhookSecrets(ClientRegistry clients) {
		this.clients = clients;
	}

	/**
	 * Whether the client has a key to sign its deliveries with, so may ask for webhooks.
	 */
	public boolean has(String client) {
		return this.clients.hasWebhookKeys(client);
	}

	/** The client's keys, the newest last; empty when it has none. */
	List<byte[]> of(String client) {
		return this.clients.webhookKeys(client);
	}

}
