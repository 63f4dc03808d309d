package com.imagegateway.upstream;

import java.util.HashMap;
import java.util.Map;

import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
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
	UpstreamResilience upstreamResilience(ResilienceProperties resilience, UpstreamProperties properties,
			ObjectProvider<SharedUpstreamQuota> sharedQuota) {
		return new UpstreamResilience(resilience, properties.limits(), sharedQuota.getIfAvailable());
	}

	/** Resilience4j's own metrics: circuit state, retries, bulkhead and quota use, per upstream key. */
	@Bean
	MeterBinder upstreamResilienceMetrics(UpstreamResilience resilience) {
		return (registry) -> {
			TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(resilience.circuitBreakers()).bindTo(registry);
			TaggedRetryMetrics.ofRetryRegistry(resilience.retries()).bindTo(registry);
			TaggedBulkheadMetrics.ofBulkheadRegistry(resilience.bulkheads()).bindTo(registry);
			TaggedRateLimiterMetrics.ofRateLimiterRegistry(resilience.rateLimiters()).bindTo(registry);
		};
	}

	@Bean
	Upstreams upstreams(UpstreamProperties properties, ResilienceProperties resilienceProperties,
			UpstreamResilience resilience, WebClient.Builder builder, JsonMapper jsonMapper, MeterRegistry meterRegistry,
			@Qualifier(Upstreams.SANDBOX) Predictions sandbox) {
		Map<String, Predictions> upstreams = new HashMap<>();
		upstreams.put(Upstreams.SANDBOX, sandbox);
		if (properties.baseUrl() == null) {
			return new Upstreams(upstreams);
		}
		ReactorClientHttpConnector connector = new ReactorClientHttpConnector(HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) resilienceProperties.timeouts().connect().toMillis()));
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
			Predictions upstream = new ReplicatePredictions(web, resilienceProperties.timeouts(), jsonMapper,
					new UpstreamCallMetrics(meterRegistry, name));
			upstreams.put(name, resilience.protect(name, upstream));
		});
		return new Upstreams(upstreams);
	}

}
