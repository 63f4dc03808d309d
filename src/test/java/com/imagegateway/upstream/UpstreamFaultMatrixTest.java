package com.imagegateway.upstream;

import java.time.Duration;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.imagegateway.GatewayIntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each operation against each upstream behaviour: what the caller is told, and how many
 * attempts the upstream saw; and reads, which only the tracker makes, ridden out whatever
 * the upstream does. Tests run with 3 attempts and 500 ms call timeouts.
 */
class UpstreamFaultMatrixTest extends GatewayIntegrationTest {

	@Autowired
	private MeterRegistry registry;

	@Autowired
	private UpstreamResilience resilience;

	private static final String CREATE = API + "/models/black-forest-labs/flux-schnell/predictions";

	enum Behaviour {

		DELAY_PAST_TIMEOUT(okJson(prediction("job", "processing", null)).withFixedDelay(900)),
		CONNECTION_RESET(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)),
		EMPTY_REPLY(aResponse().withFault(Fault.EMPTY_RESPONSE)), STATUS_500(problem(500)), STATUS_502(problem(502)),
		STATUS_503(problem(503)), STATUS_429_WITH_RETRY_AFTER(problem(429).withHeader(HttpHeaders.RETRY_AFTER, "1")),
		STATUS_429(problem(429)), STATUS_401(problem(401)), STATUS_404(problem(404)), STATUS_422(problem(422)),
		MALFORMED_JSON(okJson("{\"id\": \"job\", \"status\": "));

		final ResponseDefinitionBuilder response;

		Behaviour(ResponseDefinitionBuilder response) {
			this.response = response;
		}

		private static ResponseDefinitionBuilder problem(int status) {
			return aResponse().withStatus(status)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"detail\": \"upstream says " + status + "\"}");
		}

	}

	static Stream<Arguments> matrix() {
		return Stream.of(
				// create: retried only when provably nothing was created (here: 429)
				Arguments.of("create", Behaviour.DELAY_PAST_TIMEOUT, 504, "upstream_timeout", 1),
				Arguments.of("create", Behaviour.CONNECTION_RESET, 502, "upstream_error", 1),
				Arguments.of("create", Behaviour.EMPTY_REPLY, 502, "upstream_error", 1),
				Arguments.of("create", Behaviour.STATUS_500, 502, "upstream_error", 1),
				Arguments.of("create", Behaviour.STATUS_502, 502, "upstream_error", 1),
				Arguments.of("create", Behaviour.STATUS_503, 502, "upstream_error", 1),
				Arguments.of("create", Behaviour.STATUS_429_WITH_RETRY_AFTER, 503, "upstream_busy", 3),
				Arguments.of("create", Behaviour.STATUS_429, 503, "upstream_busy", 3),
				Arguments.of("create", Behaviour.STATUS_401, 502, "upstream_auth_failed", 1),
				Arguments.of("create", Behaviour.STATUS_404, 422, "model_unavailable", 1),
				Arguments.of("create", Behaviour.STATUS_422, 422, "upstream_rejected_input", 1),
				Arguments.of("create", Behaviour.MALFORMED_JSON, 502, "upstream_bad_response", 1),
				// cancel: connection failures, timeouts, 429, 502, 503, 504 are retried
				Arguments.of("cancel", Behaviour.DELAY_PAST_TIMEOUT, 504, "upstream_timeout", 3),
				Arguments.of("cancel", Behaviour.CONNECTION_RESET, 502, "upstream_error", 3),
				Arguments.of("cancel", Behaviour.EMPTY_REPLY, 502, "upstream_error", 3),
				Arguments.of("cancel", Behaviour.STATUS_500, 502, "upstream_error", 1),
				Arguments.of("cancel", Behaviour.STATUS_502, 502, "upstream_error", 3),
				Arguments.of("cancel", Behaviour.STATUS_503, 502, "upstream_error", 3),
				Arguments.of("cancel", Behaviour.STATUS_429_WITH_RETRY_AFTER, 503, "upstream_busy", 3),
				Arguments.of("cancel", Behaviour.STATUS_429, 503, "upstream_busy", 3),
				Arguments.of("cancel", Behaviour.STATUS_401, 502, "upstream_auth_failed", 1),
				Arguments.of("cancel", Behaviour.STATUS_404, 404, "not_found", 1),
				Arguments.of("cancel", Behaviour.STATUS_422, 502, "upstream_error", 1),
				Arguments.of("cancel", Behaviour.MALFORMED_JSON, 502, "upstream_bad_response", 1));
	}

	@ParameterizedTest(name = "{0} when the upstream answers {1}: {2} {3} after {4} attempt(s)")
	@MethodSource("matrix")
	void callerGetsAStableProblemAndTheUpstreamTheRightNumberOfAttempts(String operation, Behaviour behaviour,
			int status, String code, int attempts) {
		String id = "fault-" + operation + "-" + behaviour.name().toLowerCase();
		RequestPatternBuilder attempted;
		WebTestClient.ResponseSpec response;
		if (operation.equals("create")) {
			SERVER.stubFor(post(CREATE).willReturn(behaviour.response));
			attempted = postRequestedFor(urlEqualTo(CREATE));
			response = createWith(TEAM_A_KEY, "{\"model\": \"black-forest-labs/flux-schnell\", \"prompt\": \"x\"}");
		}
		else {
			SERVER.stubFor(
					post(urlPathMatching(API + "/models/.+")).willReturn(okJson(prediction(id, "starting", null))));
			// the tracker's reads of the job meanwhile: a 429 counts neither for nor
			// against the circuit
			SERVER.stubFor(get(API + "/predictions/" + id).willReturn(Behaviour.STATUS_429_WITH_RETRY_AFTER.response));
			createWith(TEAM_A_KEY, "{\"model\": \"black-forest-labs/flux-schnell\", \"prompt\": \"x\"}").expectStatus()
				.isCreated();
			// earlier jobs' trackers finish first, then the circuit judges the cancel's
			// attempts alone
			await().atMost(Duration.ofSeconds(5))
				.until(() -> this.registry.get("gateway.tracking.jobs").gauge().value() <= 1);
			this.resilience.circuitBreakers().getAllCircuitBreakers().forEach(CircuitBreaker::reset);
			String path = API + "/predictions/" + id + "/cancel";
			SERVER.stubFor(post(path).willReturn(behaviour.response));
			attempted = postRequestedFor(urlEqualTo(path));
			response = postWith(TEAM_A_KEY, "/images/{id}/cancel", id).exchange();
		}

		response.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType("application/problem+json")
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo(code)
			.jsonPath("$.detail")
			.value((detail) -> assertThat(detail.toString()).doesNotContain(UPSTREAM_KEY));
		if (status == 503) {
			response.expectHeader().exists(HttpHeaders.RETRY_AFTER);
		}
		assertThat(SERVER.countRequestsMatching(attempted.build()).getCount()).as("upstream attempts")
			.isEqualTo(attempts);
	}

	/**
	 * Whatever the upstream answers to the tracker's reads (twice in a row here; a read
	 * is one attempt, the next check is its retry), callers reading the job meanwhile get
	 * the stored state, never an error, and the job's end is recorded once the upstream
	 * answers it.
	 */
	@ParameterizedTest(name = "the tracker rides out reads answered {0}")
	@EnumSource(Behaviour.class)
	void callersReadingAJobNeverSeeTheTrackersUpstreamFaultsAndItsEndIsRecorded(Behaviour behaviour) {
		String id = "fault-read-" + behaviour.name().toLowerCase();
		String path = API + "/predictions/" + id;
		SERVER.stubFor(get(path).inScenario(id)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(behaviour.response)
			.willSetStateTo("faulty again"));
		SERVER.stubFor(get(path).inScenario(id)
			.whenScenarioStateIs("faulty again")
			.willReturn(behaviour.response)
			.willSetStateTo("recovered"));
		SERVER.stubFor(get(path).inScenario(id)
			.whenScenarioStateIs("recovered")
			.willReturn(okJson(prediction(id, "succeeded", java.util.List.of("https://replicate.delivery/x/1.webp")))));
		SERVER.stubFor(post(urlPathMatching(API + "/models/.+")).willReturn(okJson(prediction(id, "starting", null))));
		createWith(TEAM_A_KEY, "{\"model\": \"black-forest-labs/flux-schnell\", \"prompt\": \"x\"}").expectStatus()
			.isCreated();

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> getWith(TEAM_A_KEY, "/images/{id}", id).exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("succeeded"));
		assertThat(SERVER.countRequestsMatching(getRequestedFor(urlEqualTo(path)).build()).getCount())
			.isGreaterThanOrEqualTo(3);
	}

}
