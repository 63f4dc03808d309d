package com.imagegateway.images;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import com.imagegateway.ContractCheck;
import com.imagegateway.GatewayIntegrationTest;
import com.imagegateway.UpstreamStub;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests generated from the committed OpenAPI document's own schemas (values it
 * suggests, values at and past its bounds, values of other types; a fixed seed,
 * {@code -Dcontract.seed}, so that a failure repeats), each judged by the document: one
 * it allows is accepted, one it does not is refused with a 400 problem before anything
 * reaches the upstream, and none ever gets a 5xx. Every answer also goes through
 * {@code ContractCheck}. Bounded in count and time.
 */
class GeneratedRequestsTest extends GatewayIntegrationTest {

	private static final long SEED = Long.getLong("contract.seed", 20261204L);

	private static final int REQUESTS = 250;

	private static final Duration AT_MOST = Duration.ofSeconds(60);

	/**
	 * Letters, digits, separators, white space and control characters: what breaks
	 * patterns.
	 */
	private static final String CHARACTERS = "abcXYZ019/:._- \t\n\u0000é";

	private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

	@BeforeEach
	void upstreamFinishesEveryJob() {
		SERVER.stubFor(get(urlPathMatching(API + "/predictions/gen.*"))
			.willReturn(okJson(UpstreamStub.prediction("gen", "succeeded", null))));
	}

	@Test
	void generatedCreatesAreAcceptedOrRefusedAsTheDocumentSays() {
		JsonNode schema = ContractCheck.component("CreateImageRequest");
		// the first call of a fresh JVM loads and connects a lot: not what is judged here
		UpstreamStubs.created("genwarm");
		createWith(TEAM_A_KEY, UpstreamStubs.simpleRequest());
		Random random = new Random(SEED);
		long deadline = System.nanoTime() + AT_MOST.toNanos();
		int allowed = 0;
		int refused = 0;
		for (int i = 0; i < REQUESTS && System.nanoTime() < deadline; i++) {
			String json = body(schema, random).toString();
			boolean documentAllows = ContractCheck.requestErrors("POST", "/images", json).isEmpty();
			UpstreamStubs.created("gen" + i);
			int upstreamCreates = upstreamCreates();
			EntityExchangeResult<JsonNode> answer = createWith(TEAM_A_KEY, json).expectBody(JsonNode.class)
				.returnResult();
			int status = answer.getStatus().value();
			JsonNode problem = answer.getResponseBody();
			String what = "request " + i + " (seed " + SEED + "): " + json + " answered " + status + " " + problem;
			assertThat(status).as(what).isLessThan(500);
			if (documentAllows) {
				allowed++;
				if (status == 400) {
					// rules across fields, which a schema cannot state: the description
					// says them
					assertThat(problem.path("errors").findValuesAsString("field")).as(what)
						.isNotEmpty()
						.allMatch((field) -> field.startsWith("input.") || field.equals("cancelAfter")
								|| field.equals("webhook") || field.equals("webhookEvents"));
				}
				else {
					assertThat(status).as(what).isEqualTo(201);
				}
			}
			else {
				refused++;
				assertThat(status).as(what).isEqualTo(400);
				assertThat(answer.getResponseHeaders().getContentType()).as(what)
					.isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
				assertThat(problem.path("code").asString()).as(what).isIn("validation_failed", "malformed_json");
				assertThat(upstreamCreates()).as(what + ": nothing reaches the upstream").isEqualTo(upstreamCreates);
			}
		}
		assertThat(allowed).as("requests the document allows").isGreaterThan(30);
		assertThat(refused).as("requests the document refuses").isGreaterThan(30);
	}

	@Test
	void generatedListQueriesAreAnsweredAsTheDocumentSays() {
		List<String> statuses = new ArrayList<>();
		ContractCheck.component("JobStatus").path("enum").forEach((value) -> statuses.add(value.asString()));
		Random random = new Random(SEED);
		for (int i = 0; i < REQUESTS; i++) {
			String limit = pick(random, () -> null, () -> String.valueOf(random.nextInt(-2, 103)),
					() -> junk(random, "abcXYZ019.- %"));
			String status = pick(random, () -> null, () -> statuses.get(random.nextInt(statuses.size())),
					() -> junk(random, "abcXYZ019.- %"));
			boolean documentAllows = (limit == null
					|| limit.matches("-?[0-9]+") && Integer.parseInt(limit) >= 1 && Integer.parseInt(limit) <= 100)
					&& (status == null || statuses.contains(status));
			EntityExchangeResult<JsonNode> answer = this.web.get().uri((uri) -> {
				uri.path("/images");
				if (limit != null) {
					uri.queryParam("limit", "{limit}");
				}
				if (status != null) {
					uri.queryParam("status", "{status}");
				}
				return uri.build(Map.of("limit", String.valueOf(limit), "status", String.valueOf(status)));
			})
				.headers((headers) -> headers.setBearerAuth(TEAM_A_KEY))
				.exchange()
				.expectBody(JsonNode.class)
				.returnResult();
			String what = "limit=" + limit + " status=" + status + " (seed " + SEED + ") answered "
					+ answer.getStatus();
			if (documentAllows) {
				assertThat(answer.getStatus().value()).as(what).isEqualTo(200);
			}
			else {
				assertThat(answer.getStatus().value()).as(what).isEqualTo(400);
				assertThat(answer.getResponseBody().path("code").asString()).as(what).isEqualTo("validation_failed");
				assertThat(answer.getResponseBody().path("errors").size()).as(what).isPositive();
			}
		}
	}

	@Test
	void generatedReadsCancelsAndImageReadsOfUnknownJobsAreAnsweredAsTheDocumentSays() {
		Random random = new Random(SEED);
		int upstreamCalls = SERVER.getAllServeEvents().size();
		for (int i = 0; i < REQUESTS; i++) {
			String id = "nojob" + junk(random, "abcXYZ019._-~%20é");
			// a path parameter is never empty: an empty one would be another path
			String index = pick(random, () -> String.valueOf(random.nextInt(-2, 6)),
					() -> junk(random, "abc019.-") + "z");
			boolean indexAllowed = index.matches("-?[0-9]+");
			int operation = random.nextInt(3);
			WebTestClient.RequestHeadersSpec<?> request = switch (operation) {
				case 0 -> getWith(TEAM_A_KEY, "/images/{id}", id);
				case 1 -> postWith(TEAM_A_KEY, "/images/{id}/cancel", id);
				default -> getWith(TEAM_A_KEY, "/images/{id}/outputs/{index}", id, index);
			};
			EntityExchangeResult<JsonNode> answer = request.exchange().expectBody(JsonNode.class).returnResult();
			String what = "operation " + operation + " id=" + id + " index=" + index + " (seed " + SEED + ") answered "
					+ answer.getStatus() + " " + answer.getResponseBody();
			if (operation == 2 && !indexAllowed) {
				assertThat(answer.getStatus().value()).as(what).isEqualTo(400);
				assertThat(answer.getResponseBody().path("code").asString()).as(what).isEqualTo("validation_failed");
			}
			else {
				assertThat(answer.getStatus().value()).as(what).isEqualTo(404);
				assertThat(answer.getResponseBody().path("code").asString()).as(what).isEqualTo("not_found");
			}
		}
		assertThat(SERVER.getAllServeEvents()).as("no upstream call for any of them").hasSize(upstreamCalls);
	}

	/**
	 * A body with each documented property present or not, of a value the schema suggests
	 * or not, sometimes a field too many.
	 */
	private static ObjectNode body(JsonNode schema, Random random) {
		ObjectNode body = JSON.objectNode();
		List<String> required = new ArrayList<>();
		schema.path("required").forEach((name) -> required.add(name.asString()));
		for (String name : schema.path("properties").propertyNames()) {
			if (random.nextInt(20) < (required.contains(name) ? 19 : 10)) {
				body.set(name, value(schema.path("properties").path(name), random));
			}
		}
		if (random.nextInt(10) == 0) {
			body.put(junk(random, CHARACTERS) + "x", "?");
		}
		return body;
	}

	private static JsonNode value(JsonNode schema, Random random) {
		List<JsonNode> suggested = new ArrayList<>();
		if (schema.has("example")) {
			suggested.add(schema.get("example"));
		}
		schema.path("enum").forEach(suggested::add);
		// mostly what the document suggests, so that about half the bodies are allowed as
		// a whole
		if (!suggested.isEmpty() && random.nextInt(10) < 8) {
			return suggested.get(random.nextInt(suggested.size()));
		}
		List<Function<Random, JsonNode>> values = new ArrayList<>();
		switch (type(schema)) {
			case "string" -> {
				int longest = schema.path("maxLength").asInt(20);
				List<String> edges = List.of("1:1", "16:9", "0:1", "1:100", "a/b", "a/b:v1", "/b", "a/", "90s", "5m",
						"1h30m", "4s", "25h", "0s", "h", " ", "");
				values.add((r) -> JSON.textNode(junk(r, CHARACTERS)));
				values.add((r) -> JSON.textNode(edges.get(r.nextInt(edges.size()))));
				if (longest <= 20_000) {
					values.add((r) -> JSON.textNode("x".repeat(longest + r.nextInt(2))));
				}
			}
			case "integer" -> {
				long least = schema.path("minimum").asLong(-5);
				long most = schema.has("maximum") ? schema.path("maximum").asLong() : Long.MAX_VALUE - 2;
				values.add((r) -> JSON.numberNode(r.nextLong(least - 2, Math.min(most, least + 1000) + 3)));
				values.add((r) -> JSON.numberNode(List.of(least - 1, least, most, most + 1).get(r.nextInt(4))));
			}
			case "object" -> {
				values.add((r) -> JSON.objectNode());
				values.add((r) -> JSON.objectNode().put("go_fast", true));
				values.add((r) -> JSON.objectNode().put("prompt", "again"));
			}
			default -> {
			}
		}
		// values of other types than the documented one
		List<JsonNode> others = List.of(JSON.nullNode(), JSON.booleanNode(true), JSON.numberNode(7), JSON.textNode("7"),
				JSON.arrayNode(), JSON.numberNode(1.5));
		values.add((r) -> others.get(r.nextInt(others.size())));
		return values.get(random.nextInt(values.size())).apply(random);
	}

	/** The schema's type other than null. */
	private static String type(JsonNode schema) {
		JsonNode type = schema.path("type");
		if (!type.isArray()) {
			return type.asString();
		}
		for (JsonNode one : type) {
			if (!one.asString().equals("null")) {
				return one.asString();
			}
		}
		return "null";
	}

	/** Up to 8 characters of these. */
	private static String junk(Random random, String characters) {
		StringBuilder text = new StringBuilder();
		for (int i = random.nextInt(9); i > 0; i--) {
			text.append(characters.charAt(random.nextInt(characters.length())));
		}
		return text.toString();
	}

	@SafeVarargs
	private static <T> T pick(Random random, Supplier<T>... choices) {
		return choices[random.nextInt(choices.length)].get();
	}

	private static int upstreamCreates() {
		return SERVER.countRequestsMatching(postRequestedFor(urlPathMatching(API + "/models/.+")).build()).getCount();
	}

}
