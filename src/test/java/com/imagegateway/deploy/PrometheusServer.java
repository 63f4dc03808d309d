package com.imagegateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.util.TestSocketUtils;

/**
 * A real Prometheus (the image {@code .ci/image-prometheus.sh} builds from Debian's
 * package) on the host's network, so that it scrapes gateways running in this JVM on the
 * loopback; its HTTP API answers queries as Grafana would ask them.
 */
final class PrometheusServer implements AutoCloseable {

	static final DockerImageName IMAGE = DockerImageName.parse("docker.io/prom/prometheus:v3.5.0");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final int port = TestSocketUtils.findAvailableTcpPort();

	private final GenericContainer<?> container;

	private final HttpClient http = HttpClient.newHttpClient();

	/**
	 * @param config {@code prometheus.yml}, whose {@code rule_files} may name
	 * {@code /etc/prometheus/rules.yml}
	 * @param rules that file's content
	 */
	PrometheusServer(String config, String rules) {
		this.container = new GenericContainer<>(IMAGE).withNetworkMode("host")
			.withCopyToContainer(Transferable.of(config), "/etc/prometheus/prometheus.yml")
			.withCopyToContainer(Transferable.of(rules), "/etc/prometheus/rules.yml")
			.withCommand("--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus",
					"--web.listen-address=127.0.0.1:" + this.port)
			.waitingFor(Wait.forLogMessage(".*Server is ready to receive web requests.*", 1)
				.withStartupTimeout(Duration.ofMinutes(1)));
	}

	PrometheusServer start() {
		this.container.start();
		return this;
	}

	/** An instant query's {@code data.result}. */
	JsonNode query(String promql) {
		JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
		if (!"success".equals(answer.path("status").asString())) {
			throw new AssertionError("Prometheus refused " + promql + ": " + answer);
		}
		return answer.path("data").path("result");
	}

	/**
	 * A label's values among the series {@code selector} matches (Grafana's
	 * label_values).
	 */
	JsonNode labelValues(String label, String selector) {
		return get("/api/v1/label/" + label + "/values?match[]=" + URLEncoder.encode(selector, StandardCharsets.UTF_8))
			.path("data");
	}

	JsonNode get(String path) {
		try {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
			return JSON.readTree(response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.container.stop();
	}

}
