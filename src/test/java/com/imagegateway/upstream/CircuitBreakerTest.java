package com.imagegateway.upstream;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;

import com.imagegateway.GatewayIntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Test settings: the circuit judges the last 4 calls, opens at 50 % failures, waits 1 s.
 */
class CircuitBreakerTest extends GatewayIntegrationTest {

	@Autowired
	UpstreamResilience resilience;

	@Test
	void opensOnFailuresRejectsWithoutCallingAndRecoversThroughHalfOpen() {
		String create = API + "/models/a/b/predictions";
		SERVER.stubFor(post(create).willReturn(serverError()));

		for (int i = 0; i < 4; i++) {
			createWith(TEAM_A_KEY, "{\"model\": \"a/b\", \"prompt\": \"x\"}").expectStatus().isEqualTo(502);
		}
		CircuitBreaker breaker = this.resilience.circuitBreakers().circuitBreaker("upstream-default");
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		int seen = SERVER.countRequestsMatching(postRequestedFor(urlEqualTo(create)).build()).getCount();

		createWith(TEAM_A_KEY, "{\"model\": \"a/b\", \"prompt\": \"x\"}").expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals(HttpHeaders.RETRY_AFTER, "1")
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("upstream_unavailable");
		assertThat(SERVER.countRequestsMatching(postRequestedFor(urlEqualTo(create)).build()).getCount())
			.isEqualTo(seen);

		SERVER.stubFor(
				post(create).willReturn(okJson(prediction("cb1", "succeeded", java.util.List.of("https://x/1.png")))));
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(100))
			// a status check, not a WebTestClient assertion: failed assertions log the
			// request's headers
			.until(() -> createWith(TEAM_A_KEY, "{\"model\": \"a/b\", \"prompt\": \"x\"}").returnResult(String.class)
				.getStatus()
				.value() == 201);
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void callerMistakesNeverOpenTheCircuit() {
		SERVER.stubFor(post(urlPathMatching(API + "/models/.+"))
			.willReturn(okJson("{\"detail\": \"bad input\"}").withStatus(422)));

		for (int i = 0; i < 6; i++) {
			createWith(TEAM_A_KEY, "{\"model\": \"a/b\", \"prompt\": \"x\"}").expectStatus().isEqualTo(422);
		}
		assertThat(this.resilience.circuitBreakers().circuitBreaker("upstream-default").getState())
			.isEqualTo(CircuitBreaker.State.CLOSED);
	}

}
