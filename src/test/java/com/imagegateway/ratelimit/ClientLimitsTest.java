package com.imagegateway.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.imagegateway.GatewayIntegrationTest;

import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static com.imagegateway.Concurrently.CONCURRENTLY;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * team-limited may create 2 and read 3 times a minute; team-capped may run one job at
 * once. Each test that spends team-limited's permits runs in its own minute-long window,
 * so the tests below use them only once each.
 */
class ClientLimitsTest extends GatewayIntegrationTest {

	private static final String REQUEST = "{\"model\": \"a/b\", \"prompt\": \"x\"}";

	@Test
	void limitsCreatesAndReadsSeparatelyPerClientWithRateLimitHeaders() {
		SERVER.stubFor(
				post(urlPathMatching(API + "/models/.+")).willReturn(okJson(prediction("lim1", "starting", null))));
		SERVER.stubFor(get(urlPathMatching(API + "/predictions/.+"))
			.willReturn(okJson(prediction("lim1", "processing", null))));

		createWith(LIMITED_KEY, REQUEST).expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals("RateLimit-Limit", "2")
			.expectHeader()
			.valueEquals("RateLimit-Remaining", "1")
			.expectHeader()
			.exists("RateLimit-Reset");
		createWith(LIMITED_KEY, REQUEST).expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals("RateLimit-Remaining", "0");
		SERVER.resetRequests();

		createWith(LIMITED_KEY, REQUEST).expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.exists(HttpHeaders.RETRY_AFTER)
			.expectHeader()
			.valueEquals("RateLimit-Limit", "2")
			.expectHeader()
			.valueEquals("RateLimit-Remaining", "0")
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("rate_limited");
		SERVER.verify(0, postRequestedFor(anyUrl()));

		// reads have their own budget
		getWith(LIMITED_KEY, "/images/lim1").exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("RateLimit-Limit", "3")
			.expectHeader()
			.valueEquals("RateLimit-Remaining", "2");
		getWith(LIMITED_KEY, "/images").exchange().expectStatus().isOk();
		getWith(LIMITED_KEY, "/images").exchange().expectStatus().isOk();
		getWith(LIMITED_KEY, "/images/lim1").exchange().expectStatus().isEqualTo(429);

		// and other clients are not affected (the upstream gives every prediction an id
		// of its own:
		// a repeated one would let the tracker of the first job write over the second)
		SERVER.stubFor(
				post(urlPathMatching(API + "/models/.+")).willReturn(okJson(prediction("lim2", "starting", null))));
		createWith(TEAM_A_KEY, REQUEST).expectStatus().isCreated();
		getWith(TEAM_A_KEY, "/images/lim2").exchange().expectStatus().isOk();
	}

	@Test
	void aFloodFromOneClientNeitherReachesTheUpstreamNorBlocksAnother() {
		SERVER.stubFor(
				post(urlPathMatching(API + "/models/.+")).willReturn(okJson(prediction("flood", "starting", null))));

		List<CompletableFuture<Integer>> flood = IntStream.range(0, 100)
			.mapToObj((i) -> CompletableFuture.supplyAsync(
					() -> status(createWith(FLOOD_KEY, REQUEST).expectBody(String.class).returnResult()), CONCURRENTLY))
			.toList();
		List<Integer> others = IntStream.range(0, 10)
			.mapToObj((i) -> status(createWith(TEAM_A_KEY, REQUEST).expectBody(String.class).returnResult()))
			.toList();
		List<Integer> flooded = flood.stream().map(CompletableFuture::join).toList();

		assertThat(others).containsOnly(201);
		assertThat(flooded).filteredOn((status) -> status == 201).hasSize(20);
		assertThat(flooded).filteredOn((status) -> status == 429).hasSize(80);
		assertThat(
				SERVER.countRequestsMatching(postRequestedFor(urlPathMatching(API + "/models/.+")).build()).getCount())
			.isEqualTo(10 + flooded.stream().filter((status) -> status == 201).count());
	}

	@Test
	void capsHowManyOfAClientsJobsRunAtOnce() {
		String now = Instant.now().toString();
		SERVER.stubFor(post(urlPathMatching(API + "/models/.+"))
			.willReturn(okJson(prediction("capped1", "starting", null, now))));
		createWith(CAPPED_KEY, REQUEST).expectStatus().isCreated();
		SERVER.resetRequests();

		createWith(CAPPED_KEY, REQUEST).expectStatus()
			.isEqualTo(429)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("too_many_running_jobs");
		SERVER.verify(0, postRequestedFor(anyUrl()));

		SERVER.stubFor(
				get(API + "/predictions/capped1").willReturn(okJson(prediction("capped1", "succeeded", null, now))));
		// the place is given back once the tracker sees the job finish
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> getWith(CAPPED_KEY, "/images/capped1").exchange()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("succeeded"));
		SERVER.stubFor(post(urlPathMatching(API + "/models/.+"))
			.willReturn(okJson(prediction("capped2", "starting", null, now))));
		createWith(CAPPED_KEY, REQUEST).expectStatus().isCreated();
	}

	private static int status(EntityExchangeResult<?> result) {
		return result.getStatus().value();
	}

}
