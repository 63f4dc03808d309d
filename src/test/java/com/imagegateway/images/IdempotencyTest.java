package com.imagegateway.images;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import com.imagegateway.GatewayIntegrationTest;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static com.imagegateway.Concurrently.CONCURRENTLY;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.json;
import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyTest extends GatewayIntegrationTest {

	private static final String CREATES = API + "/models/.+/.+/predictions";

	@Test
	void replaysTheFirstResponseForTheSameKeyAndBodyWithoutCreatingAgain() {
		UpstreamStubs.created("idem1");
		EntityExchangeResult<String> first = createWithKey(TEAM_A_KEY, "key-1", UpstreamStubs.simpleRequest());
		EntityExchangeResult<String> second = createWithKey(TEAM_A_KEY, "key-1", UpstreamStubs.simpleRequest());

		assertThat(first.getStatus().value()).isEqualTo(201);
		assertThat(first.getResponseHeaders().getFirst("Idempotent-Replayed")).isNull();
		assertThat(second.getStatus().value()).isEqualTo(201);
		assertThat(second.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
		assertThat(second.getResponseHeaders().getLocation()).isEqualTo(first.getResponseHeaders().getLocation());
		assertThat(json(second.getResponseBody()).path("id").asString()).isEqualTo("idem1");
		SERVER.verify(1, postRequestedFor(urlPathMatching(CREATES)));
	}

	@Test
	void treatsTheSameBodyWrittenDifferentlyAsTheSameRequest() {
		UpstreamStubs.created("idem-format");
		createWithKey(TEAM_A_KEY, "key-format", """
				{"model": "a/b", "prompt": "cat", "input": {"x": 1, "y": 2}}""");
		EntityExchangeResult<String> again = createWithKey(TEAM_A_KEY, "key-format", """
				{"input": {"y": 2, "x": 1},   "prompt": "cat", "model": "a/b"}""");

		assertThat(again.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
		SERVER.verify(1, postRequestedFor(urlPathMatching(CREATES)));
	}

	@Test
	void refusesTheSameKeyWithADifferentBody() {
		UpstreamStubs.created("idem2");
		createWithKey(TEAM_A_KEY, "key-2", UpstreamStubs.simpleRequest());

		createWith(TEAM_A_KEY, "{\"model\": \"a/b\", \"prompt\": \"another prompt\"}");
		this.web.post()
			.uri("/images")
			.headers((headers) -> headers.setBearerAuth(TEAM_A_KEY))
			.header("Idempotency-Key", "key-2")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\": \"a/b\", \"prompt\": \"another prompt\"}")
			.exchange()
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("idempotency_key_reused");
		// one create for the first request with the key, one for the request without a
		// key
		SERVER.verify(2, postRequestedFor(urlPathMatching(CREATES)));
	}

	@Test
	void scopesKeysToTheClient() {
		UpstreamStubs.created("idem3a");
		createWithKey(TEAM_A_KEY, "shared-key", UpstreamStubs.simpleRequest());
		UpstreamStubs.created("idem3b");
		EntityExchangeResult<String> other = createWithKey(TEAM_B_KEY, "shared-key", UpstreamStubs.simpleRequest());

		assertThat(json(other.getResponseBody()).path("id").asString()).isEqualTo("idem3b");
		assertThat(other.getResponseHeaders().getFirst("Idempotent-Replayed")).isNull();
		SERVER.verify(2, postRequestedFor(urlPathMatching(CREATES)));
	}

	@Test
	void createsOnceWhenTwoRequestsWithTheSameKeyArriveTogether() {
		SERVER.stubFor(post(urlPathMatching(CREATES))
			.willReturn(okJson(prediction("together", "starting", null)).withFixedDelay(400)));

		List<CompletableFuture<EntityExchangeResult<String>>> requests = List.of(
				CompletableFuture.supplyAsync(
						() -> createWithKey(TEAM_A_KEY, "key-together", UpstreamStubs.simpleRequest()), CONCURRENTLY),
				CompletableFuture.supplyAsync(
						() -> createWithKey(TEAM_A_KEY, "key-together", UpstreamStubs.simpleRequest()), CONCURRENTLY));
		List<EntityExchangeResult<String>> results = requests.stream().map(CompletableFuture::join).toList();

		assertThat(results).allSatisfy((result) -> {
			assertThat(result.getStatus().value()).isEqualTo(201);
			assertThat(json(result.getResponseBody()).path("id").asString()).isEqualTo("together");
		});
		assertThat(results)
			.filteredOn((result) -> "true".equals(result.getResponseHeaders().getFirst("Idempotent-Replayed")))
			.hasSize(1);
		SERVER.verify(1, postRequestedFor(urlPathMatching(CREATES)));
	}

	@Test
	void letsARetryCreateWhenTheFirstAttemptFailed() {
		SERVER.stubFor(post(urlPathMatching(CREATES)).willReturn(serverError()));
		EntityExchangeResult<String> failed = createWithKey(TEAM_A_KEY, "key-retry", UpstreamStubs.simpleRequest());
		assertThat(failed.getStatus().value()).isEqualTo(502);

		UpstreamStubs.created("after-retry");
		EntityExchangeResult<String> retried = createWithKey(TEAM_A_KEY, "key-retry", UpstreamStubs.simpleRequest());

		assertThat(retried.getStatus().value()).isEqualTo(201);
		assertThat(json(retried.getResponseBody()).path("id").asString()).isEqualTo("after-retry");
		assertThat(retried.getResponseHeaders().getFirst("Idempotent-Replayed")).isNull();
		SERVER.verify(2, postRequestedFor(urlPathMatching(CREATES)));
	}

	private EntityExchangeResult<String> createWithKey(String key, String idempotencyKey, String body) {
		return this.web.post()
			.uri("/images")
			.headers((headers) -> headers.setBearerAuth(key))
			.header("Idempotency-Key", idempotencyKey)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

}
