package com.imagegateway.upstream;

import java.util.HashMap;
import java.util.Map;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

import com.imagegateway.upstream.sandbox.SandboxPredictions;

import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Every upstream the gateway can send work to, built once at start-up: one client per
 * configured upstream key, plus the sandbox.
 */
@Component
public class Upstreams {

	/** The name under which sandbox clients are served. */
	public static final String SANDBOX = "sandbox";

	private final Map<String, Predictions> byName;

	Upstreams(UpstreamProperties properties, WebClient.Builder builder, JsonMapper jsonMapper,
			SandboxPredictions sandbox) {
		Map<String, Predictions> upstreams = new HashMap<>();
		upstreams.put(SANDBOX, sandbox);
		if (properties.baseUrl() != null) {
			HttpClient http = HttpClient.create()
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis());
			properties.keys().forEach((name, key) -> {
				if (key == null || key.isBlank()) {
					return; // unset; ClientRegistry refuses clients that would need it
				}
				if (SANDBOX.equals(name)) {
					throw new IllegalStateException("gateway.upstream.keys." + SANDBOX + " is reserved for the sandbox");
				}
				WebClient web = builder.clone()
					.clientConnector(new ReactorClientHttpConnector(http))
					.baseUrl(properties.apiRoot())
					.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key)
					.build();
				upstreams.put(name, new ReplicatePredictions(web, properties.responseTimeout(), jsonMapper));
			});
		}
		this.byName = Map.copyOf(upstreams);
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
