package com.imagegateway.images;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import com.imagegateway.GatewayIntegrationTest;
import com.imagegateway.UpstreamStub;

import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Images and prompts go after {@code gateway.storage.retention} (here 3 s); the job's
 * record stays.
 */
@TestPropertySource(properties = { "gateway.storage.retention=3s", "gateway.storage.sweep-interval=300ms",
		"gateway.storage.filesystem.root=target/retention-test-outputs" })
class RetentionTest extends GatewayIntegrationTest {

	private static final byte[] PNG = Base64.getDecoder()
		.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

	@Test
	void theSweepRemovesAnOldJobsImagesAndPromptAndTheJobSaysSo() {
		SERVER.stubFor(get("/files/old1.png").willReturn(aResponse().withBody(PNG)));
		UpstreamStubs.created("old1", "starting", Instant.now().toString());
		ObjectNode succeeded = (ObjectNode) UpstreamStub.json(UpstreamStub.prediction("old1", "succeeded",
				List.of(SERVER.baseUrl() + "/files/old1.png"), Instant.now().toString()));
		succeeded.put("completed_at", Instant.now().toString());
		SERVER.stubFor(get(API + "/predictions/old1").willReturn(okJson(succeeded.toString())));
		createWith(TEAM_A_KEY, UpstreamStubs.simpleRequest()).expectStatus().isCreated();

		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> getWith(TEAM_A_KEY, "/images/old1").exchange()
				.expectBody()
				.jsonPath("$.images[0].stored")
				.isEqualTo(true)
				.jsonPath("$.dataRemoved")
				.isEqualTo(false));
		Path file = Path.of("target/retention-test-outputs/old1/0");
		assertThat(file).exists();

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode job = UpstreamStub.json(getWith(TEAM_A_KEY, "/images/old1").exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody());
			assertThat(job.path("dataRemoved").asBoolean()).isTrue();
			assertThat(job.path("images")).isEmpty();
			assertThat(job.path("prompt").asString()).isEmpty();
			assertThat(job.path("status").asString()).isEqualTo("succeeded");
		});
		assertThat(Files.exists(file)).isFalse();
		getWith(TEAM_A_KEY, "/images/old1/outputs/0").exchange().expectStatus().isNotFound();
	}

	@Test
	void aCachedResultGoesWhenRetentionRemovesItsImages() {
		String request = """
				{"model": "black-forest-labs/flux-schnell", "prompt": "a lighthouse", "seed": 99}""";
		UpstreamStub.succeedsAtOnce("cached-old1");
		createSettled(request).expectHeader().valueEquals("Gateway-Cache", "MISS");
		createSettled(request).expectHeader().valueEquals("Gateway-Cache", "HIT");
		SERVER.verify(1, postRequestedFor(urlPathMatching(API + "/models/.+")));

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> getWith(CACHE_KEY, "/images/cached-old1").exchange()
				.expectBody()
				.jsonPath("$.dataRemoved")
				.isEqualTo(true));
		UpstreamStub.succeedsAtOnce("cached-new1");
		createSettled(request).expectHeader().valueEquals("Gateway-Cache", "MISS");
		SERVER.verify(2, postRequestedFor(urlPathMatching(API + "/models/.+")));
	}

	private WebTestClient.ResponseSpec createSettled(String request) {
		return postWith(CACHE_KEY, "/images").header("Content-Type", "application/json")
			.header("Prefer", "wait=10")
			.bodyValue(request)
			.exchange()
			.expectStatus()
			.isCreated();
	}

}
