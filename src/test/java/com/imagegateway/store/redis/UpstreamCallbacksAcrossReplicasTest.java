package com.imagegateway.store.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.standardwebhooks.Webhook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import com.imagegateway.UpstreamStub;

import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.GatewayIntegrationTest.TEAM_A_KEY;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The upstream's completion callbacks, on two replicas sharing a real Redis: each create
 * asks the upstream to call back; a verified callback reaching either replica records the
 * job's end at once, the replica following the job stores its image, and a caller held on
 * {@code Prefer: wait} is answered, all without one read of the prediction upstream (the
 * fallback poll is far off). A forged, stale, replayed or unknown-job callback is refused
 * and changes nothing.
 */
@Testcontainers(disabledWithoutDocker = true)
class UpstreamCallbacksAcrossReplicasTest {

	private static final String SECRET = "whsec_"
			+ Base64.getEncoder().encodeToString("the upstream's signing key, 32 b".getBytes());

	private static final String CALLBACK_URL = "https://gateway.example/upstream/callback";

	private static final byte[] PNG = Base64.getDecoder()
		.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

	private static final String REQUEST = """
			{"model": "black-forest-labs/flux-schnell", "prompt": "a lighthouse at dawn"}""";

	private static RedisContainer redis;

	private static Gateway a;

	private static Gateway b;

	@BeforeAll
	static void startRedisAndTwoReplicas() {
		redis = new RedisContainer().start();
		Map<String, String> settings = Map.of("gateway.upstream.callback-url", CALLBACK_URL,
				"gateway.upstream.webhook-secret", SECRET, "gateway.upstream.callback-poll-interval", "10m");
		a = Gateway.start(redis.url(), settings);
		b = Gateway.start(redis.url(), settings);
	}

	@AfterAll
	static void stopAll() {
		Gateway.closeAll(a, b, redis);
	}

	@BeforeEach
	void resetUpstream() {
		SERVER.resetAll();
	}

	@Test
	void aVerifiedCallbackToTheOtherReplicaEndsTheHeldCreateWithTheStoredImageWithoutAskingTheUpstream() {
		upstreamCreates("cb1");
		CompletableFuture<EntityExchangeResult<String>> held = CompletableFuture.supplyAsync(
				() -> a.create(TEAM_A_KEY, REQUEST, prefer("wait=30")).expectBody(String.class).returnResult());
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> SERVER.verify(1, postRequestedFor(urlPathMatching(API + "/models/.+"))));
		// the held create is answered once the job is recorded (and waits on a)
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> a.get(TEAM_A_KEY, "/images/cb1").expectStatus().isOk());

		callback(b, "msg-cb1", Instant.now(), succeeded("cb1")).expectStatus().isNoContent();

		EntityExchangeResult<String> answer = held.join();
		assertThat(answer.getStatus().value()).isEqualTo(201);
		JsonNode job = UpstreamStub.json(answer.getResponseBody());
		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		assertThat(job.path("images").path(0).path("stored").asBoolean()).as(answer.getResponseBody()).isTrue();
		SERVER.verify(0, getRequestedFor(urlPathMatching(API + "/predictions/.+")));
		SERVER.verify(1, getRequestedFor(urlPathEqualTo("/files/cb1.png")));
		assertThat(a.counter("gateway.jobs.finished", "status", "succeeded")
				+ b.counter("gateway.jobs.finished", "status", "succeeded"))
			.isEqualTo(1);
		assertThat(b.counter("gateway.upstream.callbacks", "outcome", "recorded")).isOne();
	}

	@Test
	void eachCreateAsksTheUpstreamToCallBackWhenThePredictionCompletes() {
		upstreamCreates("cb2");

		a.create(TEAM_A_KEY, REQUEST).expectStatus().isCreated();

		SERVER.verify(postRequestedFor(urlPathMatching(API + "/models/black-forest-labs/flux-schnell/predictions"))
			.withRequestBody(equalToJson("""
					{"input": {"prompt": "a lighthouse at dawn"}, "webhook": "%s",
					 "webhook_events_filter": ["completed"]}""".formatted(CALLBACK_URL), true, true)));
	}

	@Test
	void aForgedStaleUnknownOrReplayedCallbackIsRefusedAndChangesNothing() {
		upstreamCreates("cb3");
		a.create(TEAM_A_KEY, REQUEST).expectStatus().isCreated();
		String body = succeeded("cb3");

		// signed with another secret
		HttpHeaders forged = signed("msg-cb3", Instant.now(), body,
				"whsec_" + Base64.getEncoder().encodeToString("somebody else's key, 32 bytes ..".getBytes()));
		b.web()
			.post()
			.uri("/upstream/callback")
			.headers((headers) -> headers.addAll(forged))
			.header(HttpHeaders.CONTENT_TYPE, "application/json")
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("invalid_signature");
		// the right signature over another body
		b.web()
			.post()
			.uri("/upstream/callback")
			.headers((headers) -> headers.addAll(signed("msg-cb3", Instant.now(), body, SECRET)))
			.header(HttpHeaders.CONTENT_TYPE, "application/json")
			.bodyValue(body.replace("succeeded", "failed"))
			.exchange()
			.expectStatus()
			.isUnauthorized();
		// signed, but ten minutes old
		callback(b, "msg-cb3", Instant.now().minus(Duration.ofMinutes(10)), body).expectStatus().isUnauthorized();
		// signed, about a job the gateway does not have
		callback(b, "msg-unknown", Instant.now(), succeeded("nosuchjob")).expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("not_found");
		a.get(TEAM_A_KEY, "/images/cb3").expectBody().jsonPath("$.status").isEqualTo("starting");

		callback(b, "msg-cb3", Instant.now(), body).expectStatus().isNoContent();
		// the same callback again, to the other replica
		callback(a, "msg-cb3", Instant.now(), body).expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("callback_replayed");

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> a.get(TEAM_A_KEY, "/images/cb3").expectBody().jsonPath("$.status").isEqualTo("succeeded"));
		assertThat(a.counter("gateway.upstream.callbacks", "outcome", "replayed")).isOne();
		assertThat(b.counter("gateway.upstream.callbacks", "outcome", "forged")).isEqualTo(3);
		assertThat(b.counter("gateway.upstream.callbacks", "outcome", "unknown_job")).isOne();
		SERVER.verify(0, getRequestedFor(urlPathMatching(API + "/predictions/.+")));
	}

	private static void upstreamCreates(String id) {
		SERVER.stubFor(post(urlPathMatching(API + "/models/.+/.+/predictions")).willReturn(aResponse().withStatus(201)
			.withHeader("Content-Type", "application/json")
			.withBody(prediction(id, "starting", null))));
		// the fallback's reads, should one come: the job still runs
		SERVER.stubFor(get(urlPathMatching(API + "/predictions/" + id))
			.willReturn(okJson(prediction(id, "processing", null))));
		SERVER.stubFor(get("/files/" + id + ".png")
			.willReturn(aResponse().withHeader("Content-Type", "image/png").withBody(PNG)));
	}

	private static String succeeded(String id) {
		ObjectNode body = (ObjectNode) UpstreamStub
			.json(prediction(id, "succeeded", List.of(SERVER.baseUrl() + "/files/" + id + ".png")));
		// its outputs still downloadable
		body.put("completed_at", Instant.now().toString());
		return body.toString();
	}

	private static HttpHeaders prefer(String value) {
		HttpHeaders headers = new HttpHeaders();
		headers.set("Prefer", value);
		return headers;
	}

	private static org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec callback(Gateway replica,
			String id, Instant at, String body) {
		HttpHeaders headers = signed(id, at, body, SECRET);
		return replica.web()
			.post()
			.uri("/upstream/callback")
			.headers((h) -> h.addAll(headers))
			.header(HttpHeaders.CONTENT_TYPE, "application/json")
			.bodyValue(body)
			.exchange();
	}

	/** As the upstream signs a callback: Standard Webhooks, its own library. */
	private static HttpHeaders signed(String id, Instant at, String body, String secret) {
		try {
			HttpHeaders headers = new HttpHeaders();
			headers.set("webhook-id", id);
			headers.set("webhook-timestamp", Long.toString(at.getEpochSecond()));
			headers.set("webhook-signature", new Webhook(secret).sign(id, at.getEpochSecond(), body));
			return headers;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
