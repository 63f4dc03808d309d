package com.imagegateway.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.channel.ChannelOption;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

@Configuration(proxyBeanMethods = false)
class UpstreamConfiguration {

	/**
	 * Upstream bodies carry the model's logs, which can be long; they are read, never
	 * kept.
	 */
	private static final DataSize MAX_UPSTREAM_BODY = DataSize.ofMegabytes(4);

	@Bean
	UpstreamResilience upstreamResilience(ResilienceProperties resilience, UpstreamProperties properties,
			ObjectProvider<SharedUpstreamQuota> sharedQuota) {
		return new UpstreamResilience(resilience, properties.limits(), sharedQuota.getIfAvailable());
	}

	/**
	 * Resilience4j's own metrics: circuit state, retries, bulkhead and quota use, per
	 * upstream key.
	 */
	@Bean
	MeterBinder upstreamResilienceMetrics(UpstreamResilience resilience) {
		return (registry) -> {
			TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(resilience.circuitBreakers()).bindTo(registry);
			TaggedRetryMetrics.ofRetryRegistry(resilience.retries()).bindTo(registry);
			TaggedBulkheadMetrics.ofBulkheadRegistry(resilience.bulkheads()).bindTo(registry);
			TaggedRateLimiterMetrics.ofRateLimiterRegistry(resilience.rateLimiters()).bindTo(registry);
		};
	}

	/**
	 * The event loops (the server's and the upstream client's, so a call and its caller
	 * stay on one thread) and the upstream connection pool, owned by this application
	 * rather than Reactor Netty's process-wide defaults: another application in the JVM
	 * (a test's, say) closing must not take them down, and the default pool (16
	 * connections, 1,000 waiting) would refuse calls under load with a failure that looks
	 * like the upstream's.
	 */
	@Bean
	ReactorResourceFactory reactorResourceFactory(UpstreamProperties properties, ResilienceProperties resilience) {
		ReactorResourceFactory resources = new ReactorResourceFactory();
		resources.setUseGlobalResources(false);
		resources.setLoopResourcesSupplier(
				() -> LoopResources.create("reactor-http", LoopResources.DEFAULT_IO_WORKER_COUNT, true));
		resources.setConnectionProviderSupplier(() -> upstreamConnections(properties, resilience));
		// the server has drained its requests before this closes (graceful shutdown)
		resources.setShutdownQuietPeriod(Duration.ZERO);
		return resources;
	}

	/**
	 * As many connections as the bulkheads let calls run at once, so that the bulkhead is
	 * the one rule for upstream concurrency; a call that finds none free waits for one
	 * without blocking, up to the connect timeout.
	 */
	private static ConnectionProvider upstreamConnections(UpstreamProperties properties,
			ResilienceProperties resilience) {
		long keys = Math.max(1, properties.keys().size());
		return ConnectionProvider.builder("upstream")
			.maxConnections((int) Math.min(Integer.MAX_VALUE, resilience.bulkhead().maxConcurrentCalls() * keys))
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(resilience.timeouts().connect())
			.maxIdleTime(Duration.ofSeconds(30))
			.build();
	}

	/**
	 * One {@link WebClient} per upstream key, each with its {@code Bearer} header fixed,
	 * sharing one connection pool.
	 */
	@Bean
	Upstreams upstreams(UpstreamProperties properties, ResilienceProperties resilienceProperties,
			UpstreamResilience resilience, WebClient.Builder builder, JsonMapper jsonMapper,
			MeterRegistry meterRegistry, ReactorResourceFactory resources,
			@Qualifier(Upstreams.SANDBOX) Predictions sandbox) {
		Map<String, Predictions> upstreams = new HashMap<>();
		upstreams.put(Upstreams.SANDBOX, sandbox);
		ReactorClientHttpConnector connector = new ReactorClientHttpConnector(resources, (client) -> client
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) resilienceProperties.timeouts().connect().toMillis()));
		WebClient files = builder.clone().clientConnector(connector).build();
		properties.keys().forEach((name, key) -> {
			if (Upstreams.SANDBOX.equals(name)) {
				throw new IllegalStateException(
						"gateway.upstream.keys." + Upstreams.SANDBOX + " is reserved for the sandbox");
			}
			URI baseUrl = properties.baseUrlOf(name);
			if (key == null || !key.isSet() || baseUrl == null) {
				return; // unset; ClientRegistry refuses clients that would need it
			}
			WebClient web = builder.clone()
				.clientConnector(connector)
				.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize((int) MAX_UPSTREAM_BODY.toBytes()))
				.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key.key())
				.build();
			Predictions upstream = new ReplicatePredictions(web, files, UpstreamProperties.apiRoot(baseUrl),
					resilienceProperties.timeouts(), jsonMapper, new UpstreamCallMetrics(meterRegistry, name),
					properties.callbackUrl());
			upstreams.put(name, resilience.protect(name, upstream));
		});
		return new Upstreams(upstreams);
	}

}
