package com.imagegateway.system;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.imagegateway.GatewayIntegrationTest;
import com.imagegateway.UpstreamStub;

import org.springframework.boot.test.system.CapturedOutput;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ObservabilityTest extends GatewayIntegrationTest {

	private static final String SCHNELL = "black-forest-labs/flux-schnell";

	private static final String TRACEPARENT = "00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}";

	@Test
	void requestMetricsNameTheProblemsCodeAndWhetherTheRequestWasHeldOnPurpose() {
		String lag = "gateway_jobs_completion_lag_seconds_count{upstream=\"default\"}";
		double lagsBefore = value(scrape(), lag);
		getWith(TEAM_A_KEY, "/images/no-such-job-here").exchange().expectStatus().isNotFound();
		UpstreamStub.succeedsAtOnce("obsheld");
		postWith(TEAM_A_KEY, "/images").header("Prefer", "wait=5")
			.header("Content-Type", "application/json")
			.bodyValue("{\"model\": \"" + SCHNELL + "\", \"prompt\": \"a harbour\"}")
			.exchange()
			.expectStatus()
			.isCreated();
		UpstreamStub.succeedsAtOnce("obsplain");
		createWith(TEAM_A_KEY, "{\"model\": \"" + SCHNELL + "\", \"prompt\": \"a harbour\"}").expectStatus()
			.isCreated();

		String scrape = scrape();
		assertThat(scrape)
			.containsPattern("http_server_requests_seconds_count\\{[^}]*client=\"team-a\",code=\"not_found\"[^}]*"
					+ "held=\"false\"[^}]*operation=\"getImage\"[^}]*status=\"404\"")
			.containsPattern("http_server_requests_seconds_count\\{[^}]*client=\"team-a\",code=\"none\"[^}]*"
					+ "held=\"true\"[^}]*operation=\"createImage\"[^}]*status=\"201\"")
			.containsPattern("http_server_requests_seconds_count\\{[^}]*client=\"team-a\",code=\"none\"[^}]*"
					+ "held=\"false\"[^}]*operation=\"createImage\"[^}]*status=\"201\"")
			// the counters alerted on at their first increase are there from the start
			.contains("gateway_storage_outputs_total{outcome=\"lost\"}")
			.contains("gateway_jobs_unrecorded_total{client=\"team-b\"}");
		// both jobs were seen finished once, each with how long after the upstream's end
		assertThat(value(scrape, lag)).isGreaterThanOrEqualTo(lagsBefore + 2);
	}

	@Test
	void metricsMoveWithTheJobsAndCarryOnlyBoundedTags() {
		String created = "gateway_jobs_submitted_total{client=\"team-a\",model=\"" + SCHNELL + "\"}";
		String finished = "gateway_jobs_finished_total{client=\"team-a\",model=\"" + SCHNELL
				+ "\",status=\"succeeded\"}";
		String images = "gateway_images_produced_total{client=\"team-a\",model=\"" + SCHNELL + "\"}";
		double createdBefore = value(scrape(), created);
		double finishedBefore = value(scrape(), finished);
		double imagesBefore = value(scrape(), images);

		SERVER.stubFor(
				post(urlPathMatching(API + "/models/.+")).willReturn(okJson(prediction("metrics1", "starting", null))));
		SERVER.stubFor(get(API + "/predictions/metrics1")
			.willReturn(okJson(prediction("metrics1", "succeeded", List.of("https://x/1.webp", "https://x/2.webp")))));
		createWith(TEAM_A_KEY, "{\"model\": \"" + SCHNELL + "\", \"prompt\": \"secret prompt text\"}").expectStatus()
			.isCreated();
		// the tracker records the end in the background
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> getWith(TEAM_A_KEY, "/images/metrics1").exchange()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("succeeded"));
		getWith(TEAM_A_KEY, "/images/metrics1").exchange().expectStatus().isOk();

		String scrape = scrape();
		assertThat(value(scrape, created)).isEqualTo(createdBefore + 1);
		assertThat(value(scrape, finished)).isEqualTo(finishedBefore + 1);
		assertThat(value(scrape, images)).isEqualTo(imagesBefore + 2);
		assertThat(scrape).contains("gateway_upstream_predict_time_seconds_count{model=\"" + SCHNELL + "\"}")
			.containsPattern(
					"http_server_requests_seconds_bucket\\{[^}]*client=\"team-a\"[^}]*operation=\"createImage\"")
			.containsPattern(
					"http_server_requests_seconds_count\\{[^}]*client=\"team-a\"[^}]*operation=\"getImage\"[^}]*outcome=\"SUCCESS\"")
			.containsPattern(
					"gateway_upstream_requests_seconds_bucket\\{[^}]*operation=\"create\",outcome=\"2xx\",upstream=\"default\"")
			.containsPattern(
					"gateway_upstream_requests_seconds_count\\{[^}]*operation=\"read\",outcome=\"2xx\",upstream=\"default\"")
			// the gateway sends absolute URIs (built once), yet the client metrics keep
			// the templates
			.containsPattern("http_client_requests_seconds_count\\{[^}]*uri=\"/models/\\{owner}/\\{name}/predictions\"")
			.containsPattern("http_client_requests_seconds_count\\{[^}]*uri=\"/predictions/\\{id}\"")
			.contains("resilience4j_circuitbreaker_state{name=\"upstream-default\",state=\"closed\"")
			.contains(
					"resilience4j_retry_calls_total{kind=\"successful_without_retry\",name=\"upstream-default-create\"")
			.contains("resilience4j_bulkhead_available_concurrent_calls{name=\"upstream-default\"")
			.contains("resilience4j_ratelimiter_available_permissions{name=\"upstream-default\"")
			.doesNotContain("metrics1", "secret prompt text", UPSTREAM_KEY, TEAM_A_KEY);
	}

	@Test
	void modelsNoClientNamesAreCountedAsOther() {
		SERVER.stubFor(
				post(urlPathMatching(API + "/models/.+")).willReturn(okJson(prediction("metrics2", "starting", null))));
		createWith(TEAM_A_KEY, "{\"model\": \"someone/unlisted-model-123\", \"prompt\": \"x\"}").expectStatus()
			.isCreated();

		assertThat(scrape()).contains("gateway_jobs_submitted_total{client=\"team-a\",model=\"other\"}")
			.doesNotContain("unlisted-model-123");
	}

	@Test
	void propagatesW3cTraceContextToTheUpstreamAndLogsOneAccessLinePerRequest(CapturedOutput output) {
		SERVER.stubFor(
				post(urlPathMatching(API + "/models/.+")).willReturn(okJson(prediction("traced1", "starting", null))));
		SERVER.stubFor(get(API + "/predictions/traced1").willReturn(okJson(prediction("traced1", "processing", null))));

		createWith(TEAM_A_KEY, "{\"model\": \"a/b\", \"prompt\": \"x\"}").expectStatus().isCreated();
		getWith(TEAM_A_KEY, "/images/traced1").exchange().expectStatus().isOk();

		SERVER.verify(
				postRequestedFor(urlPathMatching(API + "/models/.+")).withHeader("traceparent", matching(TRACEPARENT)));
		// the tracker's reads are traces of their own
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> SERVER.verify(getRequestedFor(urlPathMatching(API + "/predictions/traced1"))
				.withHeader("traceparent", matching(TRACEPARENT))));
		// the line is written once the response has gone out, which may be just after the
		// client saw it
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(
					output.getAll().lines().filter((line) -> line.contains("\"logger\":\"image-gateway.access\"")))
				.anySatisfy((line) -> assertThat(line)
					.contains("\"client\":\"team-a\"", "\"operation\":\"createImage\"", "\"method\":\"POST\"",
							"\"status\":201", "\"latencyMs\":")
					.containsPattern("\"traceId\":\"[0-9a-f]{32}\""))
				.anySatisfy((line) -> assertThat(line).contains("\"client\":\"team-a\"", "\"operation\":\"getImage\"",
						"\"status\":200")));
	}

	@Test
	void readinessStaysUpWhileTheUpstreamIsDown() {
		SERVER.stubFor(post(urlPathMatching(API + "/models/.+")).willReturn(serverError()));
		for (int i = 0; i < 5; i++) {
			createWith(TEAM_A_KEY, "{\"model\": \"a/b\", \"prompt\": \"x\"}").expectStatus().is5xxServerError();
		}

		this.web.get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
		this.web.get()
			.uri("/actuator/health/liveness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
	}

}
