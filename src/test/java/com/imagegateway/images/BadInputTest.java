package com.imagegateway.images;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import com.imagegateway.GatewayIntegrationTest;
import com.imagegateway.system.CallerText;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of bad request gets its own clear 4xx, and nothing reaches the upstream. */
class BadInputTest extends GatewayIntegrationTest {

	@LocalServerPort
	int port;

	@BeforeEach
	void upstreamWouldAcceptAnything() {
		SERVER.stubFor(post(urlPathMatching(API + "/.*")).willReturn(okJson(prediction("never", "starting", null))));
	}

	static Stream<Arguments> badBodies() {
		return Stream.of(
				Arguments.of("malformed JSON", "{\"model\": \"a/b\", \"prompt\": ", 400, "malformed_json", null),
				Arguments.of("not an object", "[1, 2]", 400, "validation_failed", null),
				Arguments.of("missing model", "{\"prompt\": \"cat\"}", 400, "validation_failed", "model"),
				Arguments.of("missing prompt", "{\"model\": \"a/b\"}", 400, "validation_failed", "prompt"),
				Arguments.of("blank prompt", "{\"model\": \"a/b\", \"prompt\": \"   \"}", 400, "validation_failed",
						"prompt"),
				Arguments.of("model without owner", "{\"model\": \"flux\", \"prompt\": \"cat\"}", 400,
						"validation_failed", "model"),
				Arguments.of("model with two slashes", "{\"model\": \"a/b/c\", \"prompt\": \"cat\"}", 400,
						"validation_failed", "model"),
				Arguments.of("model with empty version", "{\"model\": \"a/b:\", \"prompt\": \"cat\"}", 400,
						"validation_failed", "model"),
				Arguments.of("cancelAfter not a duration",
						"{\"model\": \"a/b\", \"prompt\": \"cat\", \"cancelAfter\": \"soon\"}", 400,
						"validation_failed", "cancelAfter"),
				Arguments.of("cancelAfter under 5 s",
						"{\"model\": \"a/b\", \"prompt\": \"cat\", \"cancelAfter\": \"4s\"}", 400, "validation_failed",
						"cancelAfter"),
				Arguments.of("cancelAfter over 24 h",
						"{\"model\": \"a/b\", \"prompt\": \"cat\", \"cancelAfter\": \"24h1s\"}", 400,
						"validation_failed", "cancelAfter"),
				Arguments.of("numOutputs 0", "{\"model\": \"a/b\", \"prompt\": \"cat\", \"numOutputs\": 0}", 400,
						"validation_failed", "numOutputs"),
				Arguments.of("numOutputs 5", "{\"model\": \"a/b\", \"prompt\": \"cat\", \"numOutputs\": 5}", 400,
						"validation_failed", "numOutputs"),
				Arguments.of("numOutputs a fraction", "{\"model\": \"a/b\", \"prompt\": \"cat\", \"numOutputs\": 1.5}",
						400, "validation_failed", "numOutputs"),
				Arguments.of("numOutputs as a string",
						"{\"model\": \"a/b\", \"prompt\": \"cat\", \"numOutputs\": \"2\"}", 400, "validation_failed",
						"numOutputs"),
				Arguments.of("prompt as a number", "{\"model\": \"a/b\", \"prompt\": 5}", 400, "validation_failed",
						"prompt"),
				Arguments.of("input as a string", "{\"model\": \"a/b\", \"prompt\": \"cat\", \"input\": \"x\"}", 400,
						"validation_failed", "input"),
				Arguments.of("unknown top-level field",
						"{\"model\": \"a/b\", \"prompt\": \"cat\", \"colour\": \"red\"}", 400, "validation_failed",
						"colour"),
				Arguments.of("unsupported output format",
						"{\"model\": \"a/b\", \"prompt\": \"cat\", \"outputFormat\": \"gif\"}", 400,
						"validation_failed", "outputFormat"),
				Arguments.of("malformed aspect ratio",
						"{\"model\": \"a/b\", \"prompt\": \"cat\", \"aspectRatio\": \"wide\"}", 400,
						"validation_failed", "aspectRatio"),
				Arguments.of("negative seed", "{\"model\": \"a/b\", \"prompt\": \"cat\", \"seed\": -1}", 400,
						"validation_failed", "seed"),
				Arguments.of("input repeating the prompt",
						"{\"model\": \"a/b\", \"prompt\": \"cat\", \"input\": {\"prompt\": \"dog\"}}", 400,
						"validation_failed", "input.prompt"),
				Arguments.of("body over 64 KiB", "{\"model\": \"a/b\", \"prompt\": \"" + "x".repeat(70 * 1024) + "\"}",
						413, "payload_too_large", null));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badBodies")
	void rejectsABadBodyWithoutCallingTheUpstream(String description, String body, int status, String code,
			String field) {
		WebTestClient.BodyContentSpec problem = createWith(TEAM_A_KEY, body).expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(status)
			.jsonPath("$.code")
			.isEqualTo(code)
			.jsonPath("$.title")
			.isNotEmpty()
			.jsonPath("$.detail")
			.isNotEmpty();
		if (field != null) {
			problem.jsonPath("$.errors[*].field").value((fields) -> assertThat(fields.toString()).contains(field));
		}
		SERVER.verify(0, postRequestedFor(anyUrl()));
	}

	@Test
	void listsEveryInvalidField() {
		createWith(TEAM_A_KEY, "{\"model\": \"nope\", \"prompt\": \"\", \"numOutputs\": 9}").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors.length()")
			.isEqualTo(3)
			.jsonPath("$.errors[?(@.field == 'model')].message")
			.isNotEmpty()
			.jsonPath("$.errors[?(@.field == 'prompt')].message")
			.isNotEmpty()
			.jsonPath("$.errors[?(@.field == 'numOutputs')].message")
			.isNotEmpty();
		SERVER.verify(0, postRequestedFor(anyUrl()));
	}

	@Test
	void aQueryParameterOfTheWrongTypeIsNamedLikeAnyOtherInvalidField() {
		list("/images?limit=abc").apply(this.web)
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("validation_failed")
			.jsonPath("$.errors.length()")
			.isEqualTo(1)
			.jsonPath("$.errors[0].field")
			.isEqualTo("limit")
			.jsonPath("$.errors[0].message")
			.isEqualTo("must be a number");
	}

	@Test
	void aFieldNameWithALineBreakNeitherForgesALogLineNorComesBackRaw(CapturedOutput output) {
		String forged = "z\\n2026-01-01T00:00:00.000Z ERROR 1 --- [image-gateway] forged line" + "x".repeat(500);
		createWith(TEAM_A_KEY, "{\"model\": \"a/b\", \"prompt\": \"cat\", \"" + forged + "\": 1}").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("validation_failed")
			.jsonPath("$.errors[0].field")
			.value((String field) -> assertThat(field).startsWith("z\\n2026-01-01T00:00:00.000Z ERROR")
				.doesNotContain("\n", "\r")
				.hasSizeLessThan(CallerText.MAX_LENGTH + 20))
			.jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).doesNotContain("\n")
				.hasSizeLessThan(CallerText.MAX_LENGTH + 60));

		// a log event is one line in any format, plain text included, only if its message
		// holds no
		// line break: the event of this request, decoded from its JSON, must hold none
		List<String> lines = output.getAll().lines().filter((line) -> line.contains("forged line")).toList();
		assertThat(lines).hasSize(1);
		String message = JsonMapper.shared().readTree(lines.getFirst()).path("message").asString();
		assertThat(message).contains("POST /images -> 400 validation_failed")
			.contains("z\\n2026-01-01T00:00:00.000Z ERROR")
			.doesNotContain("\n", "\r", "x".repeat(CallerText.MAX_LENGTH));
		SERVER.verify(0, postRequestedFor(anyUrl()));
	}

	static Stream<Arguments> badRequests() {
		Function<WebTestClient, WebTestClient.ResponseSpec> textBody = (web) -> web.post()
			.uri("/images")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TEAM_A_KEY)
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("{\"model\": \"a/b\", \"prompt\": \"cat\"}")
			.exchange();
		Function<WebTestClient, WebTestClient.ResponseSpec> noContentType = (web) -> web.post()
			.uri("/images")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TEAM_A_KEY)
			.bodyValue("{\"model\": \"a/b\", \"prompt\": \"cat\"}".getBytes())
			.exchange();
		Function<WebTestClient, WebTestClient.ResponseSpec> longIdempotencyKey = (web) -> web.post()
			.uri("/images")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TEAM_A_KEY)
			.header("Idempotency-Key", "k".repeat(256))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\": \"a/b\", \"prompt\": \"cat\"}")
			.exchange();
		Function<WebTestClient, WebTestClient.ResponseSpec> wrongMethod = (web) -> web.delete()
			.uri("/images")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TEAM_A_KEY)
			.exchange();
		Function<WebTestClient, WebTestClient.ResponseSpec> wrongMethodWithoutKey = (
				web) -> web.delete().uri("/images").exchange();
		Function<WebTestClient, WebTestClient.ResponseSpec> createWithQuery = (web) -> web.post()
			.uri("/images?wait=30")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TEAM_A_KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\": \"a/b\", \"prompt\": \"cat\"}")
			.exchange();
		return Stream.of(Arguments.of("text/plain body", textBody, 415, "unsupported_media_type"),
				Arguments.of("DELETE /images without a key: who may not call learns nothing", wrongMethodWithoutKey,
						401, "unauthorized"),
				Arguments.of("no content type", noContentType, 415, "unsupported_media_type"),
				Arguments.of("idempotency key over 255 characters", longIdempotencyKey, 400, "validation_failed"),
				Arguments.of("DELETE /images", wrongMethod, 405, "method_not_allowed"),
				Arguments.of("list limit 0", list("/images?limit=0"), 400, "validation_failed"),
				Arguments.of("list limit 101", list("/images?limit=101"), 400, "validation_failed"),
				Arguments.of("list limit not a number", list("/images?limit=many"), 400, "validation_failed"),
				Arguments.of("list unknown status", list("/images?status=done"), 400, "validation_failed"),
				Arguments.of("list forged cursor", list("/images?cursor=bm90LWEtY3Vyc29y"), 400, "validation_failed"),
				Arguments.of("list empty cursor", list("/images?cursor="), 400, "validation_failed"),
				Arguments.of("list unknown query parameter", list("/images?x-unknown=42"), 400, "validation_failed"),
				Arguments.of("list misspelt filter", list("/images?stauts=failed"), 400, "validation_failed"),
				Arguments.of("read with a query parameter", list("/images/x?fields=id"), 400, "validation_failed"),
				Arguments.of("events with a query parameter", list("/images/x/events?since=2"), 400,
						"validation_failed"),
				Arguments.of("create with a query parameter", createWithQuery, 400, "validation_failed"),
				Arguments.of("unknown path", list("/images/a/b/c"), 404, "not_found"));
	}

	private static Function<WebTestClient, WebTestClient.ResponseSpec> list(String uri) {
		return (web) -> web.get().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + TEAM_A_KEY).exchange();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badRequests")
	void rejectsABadRequestWithoutCallingTheUpstream(String description,
			Function<WebTestClient, WebTestClient.ResponseSpec> request, int status, String code) {
		request.apply(this.web)
			.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo(code);
		SERVER.verify(0, postRequestedFor(anyUrl()));
	}

	@Test
	void anUnknownQueryParameterIsNamedLikeAnUnknownField() {
		list("/images?limit=5&x-unknown=42").apply(this.web)
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors.length()")
			.isEqualTo(1)
			.jsonPath("$.errors[0].field")
			.isEqualTo("x-unknown")
			.jsonPath("$.errors[0].message")
			.isEqualTo("is not a query parameter of this operation");
	}

	@Test
	void aSignedLinkWithEmptyParametersAndNoKeyIsAskedForAKey() {
		this.web.get()
			.uri("/images/x/outputs/0?expires=&signature=")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer.*")
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("unauthorized");
	}

	@Test
	void aControlCharacterInAHeaderIsAnsweredWithAProblemAndNoHeaderNameReachesTheLog(CapturedOutput output)
			throws IOException {
		String secretHeader = "X-Header-Name-Never-Logged";
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write(("GET /images HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TEAM_A_KEY + "\r\n"
						+ secretHeader + ": ok\r\nX-Bad: a\u0000b\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.ISO_8859_1));
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

			assertThat(response).startsWith("HTTP/1.1 400")
				.contains("Content-Type: application/problem+json")
				.contains("\"code\":\"invalid_request\"")
				.contains("The value of header X-Bad holds a control character.");
		}
		assertThat(output.getAll()).doesNotContain(secretHeader).doesNotContain(TEAM_A_KEY);
	}

	static Stream<Arguments> badCredentials() {
		return Stream.of(Arguments.of("no Authorization header", null), Arguments.of("unknown key", "Bearer not-a-key"),
				Arguments.of("empty bearer", "Bearer "), Arguments.of("basic credentials", "Basic dGVhbS1hOnB3"),
				Arguments.of("the upstream key", "Bearer " + UPSTREAM_KEY),
				Arguments.of("a key hash instead of the key",
						"Bearer 12e43dbe7404fac122a678d3347840446ef214e68de6361a1089dbacf34478d9"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badCredentials")
	void answersUnauthorizedWithABearerChallengeAndCreatesNothing(String description, String authorization) {
		for (String path : new String[] { "/images", "/images/x", "/images/x/cancel" }) {
			WebTestClient.RequestHeadersSpec<?> request = path.endsWith("cancel") || path.equals("/images")
					? this.web.post()
						.uri(path)
						.contentType(MediaType.APPLICATION_JSON)
						.bodyValue(UpstreamStubs.simpleRequest())
					: this.web.get().uri(path);
			if (authorization != null) {
				request.header(HttpHeaders.AUTHORIZATION, authorization);
			}
			request.exchange()
				.expectStatus()
				.isUnauthorized()
				.expectHeader()
				.valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer.*")
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo("unauthorized");
		}
		SERVER.verify(0, postRequestedFor(anyUrl()));
	}

}
