package com.imagegateway.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.imagegateway.GatewayIntegrationTest;
import com.imagegateway.UpstreamStub;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks end to end: the gateway tracks a job and POSTs its events to a local receiver
 * (WireMock on the loopback, which the test profile allows), signed with team A's secret;
 * the receiver checks each signature with {@link StandardWebhooksVerifier}, written from
 * the specification. Retries wait 100 ms, then twice as long each time; a receiver has 1
 * s.
 */
class WebhooksTest extends GatewayIntegrationTest {

	/** team-a's {@code webhook-secret} in the test profile. */
	static final String SECRET = "whsec_dGVhbS1hIHNpZ25zIGl0cyB3ZWJob29rcyB3aXRoIHRoaXM=";

	private static final WireMockServer RECEIVER = new WireMockServer(
			wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));

	private static final StandardWebhooksVerifier VERIFIER = new StandardWebhooksVerifier(SECRET);

	@BeforeAll
	static void startReceiver() {
		RECEIVER.start();
	}

	@AfterAll
	static void stopReceiver() {
		RECEIVER.stop();
	}

	@BeforeEach
	void resetReceiver() {
		RECEIVER.resetAll();
	}

	@Test
	void eachEventIsDeliveredOnceSignedWithTheJobAsItWasThen() {
		RECEIVER.stubFor(post(urlEqualTo("/hooks/one")).willReturn(aResponse().withStatus(204)));
		upstreamRuns("hook-one", prediction("hook-one", "processing", null), prediction("hook-one", "processing", null),
				prediction("hook-one", "succeeded", List.of("https://replicate.delivery/x/out-0.webp")));

		createWith(TEAM_A_KEY, request("/hooks/one", "[\"start\", \"completed\"]")).expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.webhook.url")
			.isEqualTo(receiver("/hooks/one"))
			.jsonPath("$.webhook.events[0]")
			.isEqualTo("start");

		await().atMost(Duration.ofSeconds(10)).until(() -> received("/hooks/one").size() == 2);
		List<LoggedRequest> deliveries = received("/hooks/one");
		deliveries.forEach(WebhooksTest::assertSigned);
		assertThat(deliveries).extracting((delivery) -> delivery.getHeader("webhook-id"))
			.containsExactlyInAnyOrder("igw_hook-one_start", "igw_hook-one_completed");
		LoggedRequest start = byId(deliveries, "igw_hook-one_start");
		LoggedRequest completed = byId(deliveries, "igw_hook-one_completed");
		assertThat(json(start).path("status").asString()).isEqualTo("processing");
		assertThat(json(completed).path("status").asString()).isEqualTo("succeeded");
		assertThat(completed.getHeader("Content-Type")).startsWith("application/json");
		// the job as GET shows it, but for the deliveries' own state
		JsonNode read = UpstreamStub.json(getWith(TEAM_A_KEY, "/images/hook-one").exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());
		assertThat(json(completed).path("images")).isEqualTo(read.path("images"));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> getWith(TEAM_A_KEY, "/images/hook-one").exchange()
				.expectBody()
				.jsonPath("$.webhook.deliveries.length()")
				.isEqualTo(2)
				.jsonPath("$.webhook.deliveries[?(@.event == 'start')].status")
				.isEqualTo("delivered")
				.jsonPath("$.webhook.deliveries[?(@.event == 'completed')].status")
				.isEqualTo("delivered")
				.jsonPath("$.webhook.deliveries[?(@.event == 'completed')].attempts")
				.isEqualTo(1));
		// nothing more: each event once
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(2))
			.until(() -> received("/hooks/one").size() == 2);
	}

	@Test
	void aFailedDeliveryIsTriedAgainWithTheSameIdAfterA500AndATimeout() {
		RECEIVER.stubFor(post(urlEqualTo("/hooks/flaky")).inScenario("flaky")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(500).withBody("receiver down"))
			.willSetStateTo("slow"));
		RECEIVER.stubFor(post(urlEqualTo("/hooks/flaky")).inScenario("flaky")
			.whenScenarioStateIs("slow")
			.willReturn(aResponse().withStatus(200).withFixedDelay(2_000))
			.willSetStateTo("up"));
		RECEIVER.stubFor(post(urlEqualTo("/hooks/flaky")).inScenario("flaky")
			.whenScenarioStateIs("up")
			.willReturn(aResponse().withStatus(200)));
		upstreamRuns("hook-flaky", prediction("hook-flaky", "failed", null));

		createWith(TEAM_A_KEY, request("/hooks/flaky", null)).expectStatus().isCreated();

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> getWith(TEAM_A_KEY, "/images/hook-flaky").exchange()
				.expectBody()
				.jsonPath("$.webhook.deliveries[0].event")
				.isEqualTo("completed")
				.jsonPath("$.webhook.deliveries[0].status")
				.isEqualTo("delivered")
				.jsonPath("$.webhook.deliveries[0].attempts")
				.isEqualTo(3));
		List<LoggedRequest> attempts = received("/hooks/flaky");
		assertThat(attempts).hasSize(3).allSatisfy(WebhooksTest::assertSigned);
		assertThat(attempts).extracting((attempt) -> attempt.getHeader("webhook-id"))
			.containsOnly("igw_hook-flaky_completed");
		assertThat(attempts).extracting((attempt) -> attempt.getBodyAsString())
			.containsOnly(attempts.getFirst().getBodyAsString());
	}

	@Test
	void aReceiverAnswering410GetsNoRetryAndARedirectIsNotFollowed() {
		RECEIVER.stubFor(post(urlEqualTo("/hooks/gone")).willReturn(aResponse().withStatus(410)));
		RECEIVER.stubFor(post(urlEqualTo("/hooks/moved")).willReturn(aResponse().withStatus(307)
			.withHeader("Location", "http://localhost:" + RECEIVER.port() + "/hooks/elsewhere")));
		upstreamRuns("hook-gone", prediction("hook-gone", "canceled", null));
		createWith(TEAM_A_KEY, request("/hooks/gone", null)).expectStatus().isCreated();
		upstreamRuns("hook-moved", prediction("hook-moved", "canceled", null));
		createWith(TEAM_A_KEY, request("/hooks/moved", null)).expectStatus().isCreated();

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> getWith(TEAM_A_KEY, "/images/hook-gone").exchange()
				.expectBody()
				.jsonPath("$.webhook.deliveries[0].status")
				.isEqualTo("gone")
				.jsonPath("$.webhook.deliveries[0].lastError")
				.isEqualTo("HTTP 410"));
		await().atMost(Duration.ofSeconds(10)).until(() -> received("/hooks/moved").size() >= 2);
		getWith(TEAM_A_KEY, "/images/hook-moved").exchange()
			.expectBody()
			.jsonPath("$.webhook.deliveries[0].status")
			.isEqualTo("pending")
			.jsonPath("$.webhook.deliveries[0].lastError")
			.isEqualTo("HTTP 307");
		await().during(Duration.ofMillis(800))
			.atMost(Duration.ofSeconds(2))
			.until(() -> received("/hooks/gone").size() == 1);
		assertThat(received("/hooks/elsewhere")).isEmpty();
	}

	@Test
	void aWebhookTheGatewayWillNotCallIsRefusedBeforeAnythingIsCreated() {
		refused(TEAM_A_KEY, "{\"model\": \"a/b\", \"prompt\": \"x\", \"webhook\": \"https://localhost:9/hook\"}",
				"webhook localhost resolves to 127.0.0.1, a loopback, private, link-local or otherwise internal address "
						+ "the gateway does not call");
		refused(TEAM_A_KEY, "{\"model\": \"a/b\", \"prompt\": \"x\", \"webhook\": \"http://example.com/hook\"}",
				"webhook must use https (http only for hosts on gateway.webhooks.allowed-hosts)");
		refused(TEAM_A_KEY, "{\"model\": \"a/b\", \"prompt\": \"x\", \"webhookEvents\": [\"completed\"]}",
				"webhookEvents needs webhook");
		refused(TEAM_A_KEY, "{\"model\": \"a/b\", \"prompt\": \"x\", \"webhook\": \"" + receiver("/h")
				+ "\", \"webhookEvents\": [\"finished\"]}", "webhookEvents[0] must be start or completed");
		refused(TEAM_B_KEY,
				"{\"model\": \"black-forest-labs/flux-schnell\", \"prompt\": \"x\", \"webhook\": \"" + receiver("/h")
						+ "\"}",
				"webhook cannot be used: your client has no webhook secret to sign deliveries "
						+ "with (gateway.clients.team-b.webhook-secret)");
		SERVER.verify(0, postRequestedFor(urlPathMatching(API + "/.*")));
	}

	private void refused(String key, String body, String detail) {
		createWith(key, body).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("validation_failed")
			.jsonPath("$.detail")
			.isEqualTo(detail);
	}

	private static void upstreamRuns(String id, String... reads) {
		SERVER.stubFor(post(urlPathMatching(API + "/models/.+/.+/predictions"))
			.willReturn(okJson(prediction(id, "starting", null)).withStatus(201)));
		String state = Scenario.STARTED;
		for (int i = 0; i < reads.length; i++) {
			String next = (i == reads.length - 1) ? state : id + "-" + (i + 1);
			SERVER.stubFor(get(API + "/predictions/" + id).inScenario(id)
				.whenScenarioStateIs(state)
				.willReturn(okJson(reads[i]))
				.willSetStateTo(next));
			state = next;
		}
	}

	private static String request(String path, String events) {
		return "{\"model\": \"black-forest-labs/flux-schnell\", \"prompt\": \"a lighthouse\", \"webhook\": \""
				+ receiver(path) + "\"" + ((events != null) ? ", \"webhookEvents\": " + events : "") + "}";
	}

	private static String receiver(String path) {
		return "http://127.0.0.1:" + RECEIVER.port() + path;
	}

	private static List<LoggedRequest> received(String path) {
		return RECEIVER.findAll(postRequestedFor(urlEqualTo(path)));
	}

	private static LoggedRequest byId(List<LoggedRequest> deliveries, String id) {
		return deliveries.stream()
			.filter((delivery) -> id.equals(delivery.getHeader("webhook-id")))
			.findFirst()
			.orElseThrow();
	}

	private static void assertSigned(LoggedRequest delivery) {
		assertThat(VERIFIER.verifies(delivery.getHeader("webhook-id"), delivery.getHeader("webhook-timestamp"),
				delivery.getHeader("webhook-signature"), delivery.getBody(), Instant.now()))
			.as("signature of " + delivery.getHeader("webhook-id"))
			.isTrue();
	}

	private static JsonNode json(LoggedRequest delivery) {
		return UpstreamStub.json(new String(delivery.getBody(), StandardCharsets.UTF_8));
	}

}
