package com.imagegateway.images;

import com.github.tomakehurst.wiremock.stubbing.Scenario;

import com.imagegateway.UpstreamStub;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;

/** Upstream stubs the image tests share. */
public final class UpstreamStubs {

	private UpstreamStubs() {
	}

	/** The next create, by any model path, answers a new prediction with this id. */
	public static void created(String id) {
		created(id, "starting");
	}

	public static void created(String id, String status) {
		created(id, status, "2025-01-15T10:03:39.896Z");
	}

	public static void created(String id, String status, String createdAt) {
		SERVER.stubFor(post(urlPathMatching(API + "/models/.+/.+/predictions"))
			.willReturn(okJson(prediction(id, status, null, createdAt)).withStatus(201)));
	}

	/**
	 * Reads of the prediction answer these bodies one after the other, then the last one
	 * again.
	 */
	static void readsInTurn(String id, String... bodies) {
		String state = Scenario.STARTED;
		for (int i = 0; i < bodies.length; i++) {
			String next = (i == bodies.length - 1) ? state : "read-" + (i + 1);
			SERVER.stubFor(get(API + "/predictions/" + id).inScenario(id)
				.whenScenarioStateIs(state)
				.willReturn(okJson(bodies[i]))
				.willSetStateTo(next));
			state = next;
		}
	}

	public static String simpleRequest() {
		return """
				{"model": "black-forest-labs/flux-schnell", "prompt": "a lighthouse at dawn"}""";
	}

	static String seedPrompt() {
		return UpstreamStub.json(UpstreamStub.seed("seed-create-by-model-request.json"))
			.path("input")
			.path("prompt")
			.asString();
	}

	static String quoted(String text) {
		return tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(text).toString();
	}

}
