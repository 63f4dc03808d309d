package com.imagegateway.images;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.imagegateway.GatewayIntegrationTest;

import org.springframework.boot.test.system.CapturedOutput;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client's prompt rules and job deadlines (team-policy: prompts of at most 60
 * characters, no dragons, no secret plans; jobs run 2 minutes unless asked, at most 10)
 * are enforced before anything reaches the upstream.
 */
class PromptRulesAndDeadlinesTest extends GatewayIntegrationTest {

	@BeforeEach
	void upstreamAcceptsAnything() {
		SERVER.stubFor(post(urlPathMatching(API + "/.*"))
			.willReturn(okJson(prediction("policy-job", "starting", null)).withStatus(201)));
	}

	@Test
	void aPromptOverTheClientsMaxLengthIsRejectedNamingTheRuleWithoutReachingTheUpstream() {
		double before = value(scrape(), "gateway_prompts_rejected_total{client=\"team-policy\",rule=\"max-length\"}");
		create("{\"model\": \"a/b\", \"prompt\": \"" + "a lighthouse ".repeat(5) + "\"}").expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("prompt_rejected")
			.jsonPath("$.errors[0].field")
			.isEqualTo("prompt")
			.jsonPath("$.errors[0].message")
			.isEqualTo("breaks rule max-length");
		SERVER.verify(0, postRequestedFor(anyUrl()));
		assertThat(value(scrape(), "gateway_prompts_rejected_total{client=\"team-policy\",rule=\"max-length\"}"))
			.isEqualTo(before + 1);
	}

	@Test
	void aPromptMatchingADenyRuleIsRejectedAndThePromptAppearsInNoLogLine(CapturedOutput output) {
		double before = value(scrape(), "gateway_prompts_rejected_total{client=\"team-policy\",rule=\"deny[1]\"}");
		create("{\"model\": \"a/b\", \"prompt\": \"the SECRET   plans of the harbour\"}").expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("prompt_rejected")
			.jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).contains("deny[1]").doesNotContain("harbour"))
			.jsonPath("$.errors[0].message")
			.isEqualTo("breaks rule deny[1]");
		SERVER.verify(0, postRequestedFor(anyUrl()));
		assertThat(value(scrape(), "gateway_prompts_rejected_total{client=\"team-policy\",rule=\"deny[1]\"}"))
			.isEqualTo(before + 1);
		assertThat(output.getAll()).contains("422 prompt_rejected").doesNotContain("harbour");
	}

	@Test
	void aDenyRuleMatchesWhatItSaysAndNoMore() {
		// \bdragons?\b is case-sensitive and whole-word: "Dragonfly" passes
		create("{\"model\": \"a/b\", \"prompt\": \"a Dragonfly over dragonfruit\"}").expectStatus().isCreated();
		create("{\"model\": \"a/b\", \"prompt\": \"two dragons over a bay\"}").expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.errors[0].message")
			.isEqualTo("breaks rule deny[0]");
		SERVER.verify(1, postRequestedFor(anyUrl()));
	}

	@Test
	void aJobWithoutCancelAfterRunsUnderTheClientsDefaultDeadline() {
		create("{\"model\": \"a/b\", \"prompt\": \"a lighthouse at dawn\"}").expectStatus().isCreated();
		SERVER.verify(1, postRequestedFor(anyUrl()).withHeader("Cancel-After", equalTo("120s")));
	}

	@Test
	void aCancelAfterWithinTheClientsMaximumIsSentAsAsked() {
		create("{\"model\": \"a/b\", \"prompt\": \"a lighthouse at dawn\", \"cancelAfter\": \"10m\"}").expectStatus()
			.isCreated();
		SERVER.verify(1, postRequestedFor(anyUrl()).withHeader("Cancel-After", equalTo("600s")));
	}

	@Test
	void aCancelAfterOverTheClientsMaximumIsRefusedBeforeTheUpstream() {
		create("{\"model\": \"a/b\", \"prompt\": \"a lighthouse at dawn\", \"cancelAfter\": \"10m1s\"}").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("validation_failed")
			.jsonPath("$.errors[0].field")
			.isEqualTo("cancelAfter")
			.jsonPath("$.errors[0].message")
			.isEqualTo("must be at most 10m for your client");
		SERVER.verify(0, postRequestedFor(anyUrl()));
	}

	@Test
	void openAiCallersGetTheSameRuleInOpenAisErrorShape() {
		postWith(POLICY_KEY, "/v1/images/generations").header("Content-Type", "application/json")
			.bodyValue("{\"model\": \"a/b\", \"prompt\": \"here be dragons\"}")
			.exchange()
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("prompt_rejected")
			.jsonPath("$.error.param")
			.isEqualTo("prompt");
		SERVER.verify(0, postRequestedFor(anyUrl()));
	}

	private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec create(String body) {
		return createWith(POLICY_KEY, body);
	}

}
