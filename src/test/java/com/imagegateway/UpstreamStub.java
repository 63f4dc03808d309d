package com.imagegateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.common.Notifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * The Replicate-compatible upstream as WireMock, one server for the whole test run so
 * that cached Spring contexts keep pointing at it; tests reset it before each test.
 */
public final class UpstreamStub {

	public static final WireMockServer SERVER = start();

	public static final String API = "/replicate/v1";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private UpstreamStub() {
	}

	private static WireMockServer start() {
		WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort()
			// room for the tests that hold many slow calls at once (a fixed delay holds a
			// thread)
			.containerThreads(120)
			.notifier(new SilentNotifier()));
		server.start();
		return server;
	}

	public static String baseUrl() {
		return SERVER.baseUrl() + "/replicate";
	}

	/**
	 * A verbatim example body from the upstream's documentation
	 * ({@code src/test/resources/upstream}).
	 */
	public static String seed(String name) {
		try (InputStream in = UpstreamStub.class.getResourceAsStream("/upstream/" + name)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The documented read response, reshaped: another id, status and output. */
	public static String prediction(String id, String status, Object output) {
		return prediction(id, status, output, "2025-01-15T10:03:39.896Z");
	}

	public static String prediction(String id, String status, Object output, String createdAt) {
		ObjectNode node = (ObjectNode) JSON.readTree(seed("seed-read-response.json"));
		node.put("id", id);
		node.put("created_at", createdAt);
		node.put("status", status);
		node.set("output", JSON.valueToTree(output));
		if (!"succeeded".equals(status)) {
			node.putNull("completed_at");
			node.remove("metrics");
		}
		return node.toString();
	}

	public static JsonNode json(String body) {
		return JSON.readTree(body);
	}

	/** A decodable one-pixel PNG, the image the upstream stubs serve. */
	public static final byte[] PNG = java.util.Base64.getDecoder()
		.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

	/**
	 * The next create, of any model, answers a prediction that succeeded at once (created
	 * and completed now, as a real upstream writes them) with one PNG at
	 * {@code /files/<id>.png}.
	 */
	public static void succeedsAtOnce(String id) {
		String file = "/files/" + id + ".png";
		SERVER.stubFor(WireMock.get(file)
			.willReturn(WireMock.aResponse().withHeader("Content-Type", "image/png").withBody(PNG)));
		ObjectNode succeeded = (ObjectNode) json(prediction(id, "succeeded", java.util.List.of(SERVER.baseUrl() + file),
				java.time.Instant.now().toString()));
		succeeded.put("completed_at", java.time.Instant.now().toString());
		SERVER.stubFor(WireMock.post(WireMock.urlPathMatching(API + "/models/.+"))
			.willReturn(WireMock.okJson(succeeded.toString()).withStatus(201)));
	}

	/**
	 * WireMock's unmatched-request reports print request headers: keep them out of the
	 * captured output.
	 */
	private static final class SilentNotifier implements Notifier {

		@Override
		public void info(String message) {
		}

		@Override
		public void error(String message) {
		}

		@Override
		public void error(String message, Throwable t) {
		}

	}

}
