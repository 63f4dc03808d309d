package com.imagegateway.images;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.imagegateway.GatewayIntegrationTest;
import com.imagegateway.upstream.UpstreamResilience;

import org.springframework.beans.factory.annotation.Autowired;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client's fallback upstream key takes a create only when its own key provably created
 * nothing, and the job then lives where it was created: read, followed and canceled
 * there. After a timeout or a 5xx nothing is created anywhere else: WireMock counts every
 * create on both accounts.
 */
class FailoverTest extends GatewayIntegrationTest {

	private static final String CREATE = """
			{"model": "black-forest-labs/flux-schnell", "prompt": "a lighthouse at dawn"}""";

	private static final String PRIMARY_CREATES = API + "/models/.+/predictions";

	private static final String SECOND_CREATES = SECOND_API + "/models/.+/predictions";

	@Autowired
	UpstreamResilience resilience;

	@Test
	void aFirstAccountRefusingConnectionsSendsTheCreateToTheFallbackWhereTheJobIsFollowedAndCanceled() {
		double before = failovers("team-failover", "unreachable", "not_connected");
		SERVER.stubFor(post(urlPathMatching(SECOND_CREATES))
			.willReturn(okJson(prediction("fo-refused", "starting", null)).withStatus(201)));
		SERVER.stubFor(get(urlPathEqualTo(SECOND_API + "/predictions/fo-refused"))
			.willReturn(okJson(prediction("fo-refused", "processing", null))));
		SERVER.stubFor(post(urlPathEqualTo(SECOND_API + "/predictions/fo-refused/cancel"))
			.willReturn(okJson(prediction("fo-refused", "canceled", null))));

		createWith(FAILOVER_KEY, CREATE).expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo("fo-refused")
			.jsonPath("$.upstreamKey")
			.doesNotExist();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> SERVER.verify(getRequestedFor(urlPathEqualTo(SECOND_API + "/predictions/fo-refused"))));
		postWith(FAILOVER_KEY, "/images/fo-refused/cancel").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("canceled");

		SERVER.verify(1, postRequestedFor(urlPathMatching(SECOND_CREATES)));
		SERVER.verify(1, postRequestedFor(urlPathEqualTo(SECOND_API + "/predictions/fo-refused/cancel")));
		// where the job lives is the operators' to see, not the caller's
		getWith(ADMIN_KEY, "/admin/images/fo-refused").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.client")
			.isEqualTo("team-failover")
			.jsonPath("$.upstreamKey")
			.isEqualTo("second")
			.jsonPath("$.job.status")
			.isEqualTo("canceled");
		getWith(FAILOVER_KEY, "/admin/images/fo-refused").exchange()
			.expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.upstreamKey")
			.doesNotExist();
		getWith(FAILOVER_KEY, "/images/fo-refused").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.upstreamKey")
			.doesNotExist();
		// (other tests' jobs may still be followed on the first account: only this one's
		// calls count)
		SERVER.verify(0, anyRequestedFor(urlPathMatching(API + "/(models/.+|predictions/fo-refused.*)")));
		assertThat(failovers("team-failover", "unreachable", "not_connected")).isEqualTo(before + 1);
	}

	@Test
	void aFirstAccountAnswering429SendsTheCreateToTheFallback() {
		double before = failovers("team-failover-429", "default", "rate_limited");
		SERVER.stubFor(post(urlPathMatching(PRIMARY_CREATES))
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")));
		SERVER.stubFor(post(urlPathMatching(SECOND_CREATES))
			.willReturn(okJson(prediction("fo-429", "starting", null)).withStatus(201)));

		createWith(FAILOVER_429_KEY, CREATE).expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo("fo-429");

		SERVER.verify(1, postRequestedFor(urlPathMatching(SECOND_CREATES)));
		assertThat(failovers("team-failover-429", "default", "rate_limited")).isEqualTo(before + 1);
	}

	@Test
	void anOpenCircuitOnTheFirstAccountSendsTheCreateToTheFallbackWithoutCallingTheFirst() {
		this.resilience.circuitBreakers().circuitBreaker("upstream-default").transitionToOpenState();
		SERVER.stubFor(post(urlPathMatching(SECOND_CREATES))
			.willReturn(okJson(prediction("fo-open", "starting", null)).withStatus(201)));

		createWith(FAILOVER_429_KEY, CREATE).expectStatus().isCreated();

		SERVER.verify(0, postRequestedFor(urlPathMatching(PRIMARY_CREATES)));
		SERVER.verify(1, postRequestedFor(urlPathMatching(SECOND_CREATES)));
		assertThat(failovers("team-failover-429", "default", "circuit_open")).isPositive();
	}

	@Test
	void aFirstAccountTimingOutAfterReceivingTheCreateIsNeverFollowedByASecondCreate() {
		SERVER.stubFor(post(urlPathMatching(PRIMARY_CREATES))
			.willReturn(okJson(prediction("fo-slow", "starting", null)).withStatus(201).withFixedDelay(1500)));
		SERVER.stubFor(post(urlPathMatching(SECOND_CREATES))
			.willReturn(okJson(prediction("fo-twice", "starting", null)).withStatus(201)));

		createWith(FAILOVER_429_KEY, CREATE).expectStatus()
			.isEqualTo(504)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("upstream_timeout");

		SERVER.verify(1, postRequestedFor(urlPathMatching(PRIMARY_CREATES)));
		SERVER.verify(0, postRequestedFor(urlPathMatching(SECOND_CREATES)));
	}

	@Test
	void aFirstAccountFailingWith5xxIsNeverFollowedByASecondCreate() {
		SERVER.stubFor(post(urlPathMatching(PRIMARY_CREATES)).willReturn(aResponse().withStatus(500)));
		SERVER.stubFor(post(urlPathMatching(SECOND_CREATES))
			.willReturn(okJson(prediction("fo-twice", "starting", null)).withStatus(201)));

		createWith(FAILOVER_429_KEY, CREATE).expectStatus()
			.isEqualTo(502)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("upstream_error");

		SERVER.verify(1, postRequestedFor(urlPathMatching(PRIMARY_CREATES)));
		SERVER.verify(0, postRequestedFor(urlPathMatching(SECOND_CREATES)));
	}

	@Test
	void aClientWithoutAFallbackIsToldTheFirstAccountsRefusal() {
		SERVER.stubFor(post(urlPathMatching(PRIMARY_CREATES))
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")));

		createWith(TEAM_C_KEY, CREATE).expectStatus()
			.isEqualTo(503)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("upstream_busy");

		SERVER.verify(0, postRequestedFor(urlPathMatching(SECOND_CREATES)));
	}

	private double failovers(String client, String from, String reason) {
		return value(scrape(), "gateway_upstream_failovers_total{client=\"" + client + "\",from=\"" + from
				+ "\",reason=\"" + reason + "\",to=\"second\"}");
	}

}
