package com.imagegateway.upstream;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;

import com.imagegateway.GatewayIntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
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

/** Test settings: the circuit judges the last 4 calls, opens at 50 % failures, waits 1 s. */
class CircuitBreakerTest extends GatewayIntegrationTest {

	@Autowired
	UpstreamResilience resilience;

	@Test
	void opensOnFailuresRejectsWithoutCallingAndRecoversThroughHalfOpen() {
		SERVER.stubFor(post(urlPathMatching(API + "/models/.+")).willReturn(okJson(prediction("cb1", "starting", null))));
		createWith(TEAM_A_KEY, "{\"model\": \"a/b\", \"prompt\": \"x\"}").expectStatus().isCreated();
		String read = API + "/predictions/cb1";
		SERVER.stubFor(get(read).willReturn(serverError()));

		for (int i = 0; i < 3; i++) {
			getWith(TEAM_A_KEY, "/images/cb1").exchange().expectStatus().isEqualTo(502);
		}
		CircuitBreaker breaker = this.resilience.circuitBreakers().circuitBreaker("upstream-default");
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		int seen = SERVER.countRequestsMatching(getRequestedFor(urlEqualTo(read)).build()).getCount();

		getWith(TEAM_A_KEY, "/images/cb1").exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals(HttpHeaders.RETRY_AFTER, "1")
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("upstream_unavailable");
		assertThat(SERVER.countRequestsMatching(getRequestedFor(urlEqualTo(read)).build()).getCount()).isEqualTo(seen);

		SERVER.stubFor(get(read).willReturn(okJson(prediction("cb1", "succeeded", java.util.List.of("https://x/1.png")))));
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(100))
			// a status check, not a WebTestClient assertion: failed assertions log the request's headers
			.until(() -> getWith(TEAM_A_KEY, "/images/cb1").exchange().returnResult(String.class).getStatus().value() == 200);
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
