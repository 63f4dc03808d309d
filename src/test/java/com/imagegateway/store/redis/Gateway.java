package com.imagegateway.store.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;

import com.imagegateway.ImageGatewayApplication;
import com.imagegateway.UpstreamStub;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/** One replica of the gateway, a whole application in this JVM, on the shared Redis. */
public final class Gateway implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final WebTestClient web;

	private final int port;

	private Gateway(ConfigurableApplicationContext context) {
		this.context = context;
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		this.port = port;
		this.web = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	/**
	 * @param properties settings that take precedence over the test profile's
	 */
	public static Gateway start(String redisUrl, Map<String, String> properties) {
		return start(redisUrl, properties, (context) -> {
		});
	}

	/**
	 * @param initializer what the test changes in this replica before its beans are made
	 * (a fault, say)
	 */
	public static Gateway start(String redisUrl, Map<String, String> properties,
			ApplicationContextInitializer<ConfigurableApplicationContext> initializer) {
		// each replica owns its event loops (UpstreamConfiguration): closing one leaves
		// the others running
		return new Gateway(new SpringApplicationBuilder(ImageGatewayApplication.class).profiles("test")
			.initializers(initializer)
			.run(arguments(redisUrl, properties, 0).toArray(String[]::new)));
	}

	/**
	 * A replica's command-line arguments: the test profile's settings, then
	 * {@code properties}.
	 */
	public static List<String> arguments(String redisUrl, Map<String, String> properties, int port) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=" + port, "--gateway.store.type=redis",
				"--spring.data.redis.url=" + redisUrl, "--spring.data.redis.timeout=1s",
				"--spring.data.redis.connect-timeout=1s", "--gateway.upstream.base-url=" + UpstreamStub.baseUrl(),
				// quick takeovers, so that the tests of them are short
				"--gateway.tracking.takeover-after=2s"));
		properties.forEach((name, value) -> arguments.add("--" + name + "=" + value));
		return arguments;
	}

	public WebTestClient.ResponseSpec create(String key, String body) {
		return create(key, body, new HttpHeaders());
	}

	public WebTestClient.ResponseSpec create(String key, String body, HttpHeaders headers) {
		return this.web.post().uri("/images").headers((h) -> {
			h.setBearerAuth(key);
			h.addAll(headers);
		}).header(HttpHeaders.CONTENT_TYPE, "application/json").bodyValue(body).exchange();
	}

	public WebTestClient.ResponseSpec get(String key, String uri) {
		return this.web.get().uri(uri).headers((h) -> h.setBearerAuth(key)).exchange();
	}

	public WebTestClient.ResponseSpec post(String key, String uri) {
		return this.web.post().uri(uri).headers((h) -> h.setBearerAuth(key)).exchange();
	}

	public int port() {
		return this.port;
	}

	public WebTestClient web() {
		return this.web;
	}

	public double counter(String name, String... tags) {
		var counter = this.context.getBean(MeterRegistry.class).find(name).tags(tags).counter();
		return (counter != null) ? counter.count() : 0;
	}

	public double gauge(String name) {
		var gauge = this.context.getBean(MeterRegistry.class).find(name).gauge();
		return (gauge != null) ? gauge.value() : 0;
	}

	/** Closes each, in order, whatever the others do: the end of a test class. */
	public static void closeAll(AutoCloseable... closeables) {
		for (AutoCloseable closeable : closeables) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ignored) {
				// best effort
			}
		}
	}

	@Override
	public void close() {
		this.context.close();
	}

}
