package com.imagegateway.upstream;

import java.util.HashMap;
import java.util.Map;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

import com.imagegateway.upstream.sandbox.SandboxPredictions;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

@Configuration(proxyBeanMethods = false)
class UpstreamConfiguration {

	/** Upstream bodies carry the model's logs, which can be long; they are read, never kept. */
	private static final DataSize MAX_UPSTREAM_BODY = DataSize.ofMegabytes(4);

	/**
	 * One {@link WebClient} per upstream key, each with its base URL and {@code Bearer} header
	 * fixed, sharing one connection pool.
	 */
	@Bean
	Upstreams upstreams(UpstreamProperties properties, WebClient.Builder builder, JsonMapper jsonMapper,
			SandboxPredictions sandbox) {
		Map<String, Predictions> upstreams = new HashMap<>();
		upstreams.put(Upstreams.SANDBOX, sandbox);
		if (properties.baseUrl() == null) {
			return new Upstreams(upstreams);
		}
		ReactorClientHttpConnector connector = new ReactorClientHttpConnector(HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis()));
		properties.keys().forEach((name, key) -> {
			if (Upstreams.SANDBOX.equals(name)) {
				throw new IllegalStateException("gateway.upstream.keys." + Upstreams.SANDBOX + " is reserved for the sandbox");
			}
			if (key == null || key.isBlank()) {
				return; // unset; ClientRegistry refuses clients that would need it
			}
			WebClient web = builder.clone()
				.clientConnector(connector)
				.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize((int) MAX_UPSTREAM_BODY.toBytes()))
				.baseUrl(properties.apiRoot())
				.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key)
				.build();
			upstreams.put(name, new ReplicatePredictions(web, properties.responseTimeout(), jsonMapper));
		});
		return new Upstreams(upstreams);
	}

}
