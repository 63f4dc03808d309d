package com.imagegateway.openai;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.imagegateway.GatewayIntegrationTest;
import com.imagegateway.UpstreamStub;

import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;

/**
 * The {@code /v1} API on the wire: errors in OpenAI's shape with the statuses its SDKs
 * map, the fields it accepts and ignores, the models a caller may name, and a failed job
 * told as such, with its id.
 */
class OpenAiApiTest extends GatewayIntegrationTest {

	@Test
	void aCallerSeesTheModelsItMayUse() {
		getWith(TEAM_A_KEY, "/v1/models").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.object")
			.isEqualTo("list")
			.jsonPath("$.data[*].id")
			.value((ids) -> org.assertj.core.api.Assertions.assertThat(ids.toString())
				.contains("flux-schnell", "flux-lora"));
		// team-b may use flux-schnell only: its alias, and its allow-list
		getWith(TEAM_B_KEY, "/v1/models").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data[*].id")
			.isEqualTo(List.of("flux-schnell", "black-forest-labs/flux-schnell"));
		getWith(TEAM_B_KEY, "/v1/models/flux-schnell").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.owned_by")
			.isEqualTo("black-forest-labs");
		getWith(TEAM_B_KEY, "/v1/models/flux-lora").exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("not_found_error");
	}

	@Test
	void errorsAreInOpenAisShapeWithTheFieldAtFault() {
		generate(TEAM_A_KEY, """
				{"prompt": "a lighthouse", "n": 11}""").expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType("application/json")
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("invalid_request_error")
			.jsonPath("$.error.param")
			.isEqualTo("n")
			.jsonPath("$.error.code")
			.isEqualTo("validation_failed");
		generate(TEAM_A_KEY, """
				{"prompt": "a lighthouse", "response_format": "gif"}""").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.param")
			.isEqualTo("response_format");
		generate(TEAM_A_KEY, """
				{"prompt": "a lighthouse", "mask": "x"}""").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.param")
			.isEqualTo("mask");
		generate("not-a-key", """
				{"prompt": "a lighthouse"}""").expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("invalid_api_key")
			.jsonPath("$.error.type")
			.isEqualTo("authentication_error");
		SERVER.verify(0, postRequestedFor(urlPathMatching(API + "/.*")));
	}

	@Test
	void fieldsWithoutMeaningForTheseModelsAreAcceptedAndIgnored() {
		SERVER.stubFor(post(urlPathMatching(API + "/models/.+/.+/predictions"))
			.willReturn(okJson(UpstreamStub.prediction("ignored1", "failed", null)).withStatus(201)));

		// reaches the upstream (which fails the job): nothing was refused
		generate(TEAM_A_KEY, """
				{"prompt": "a lighthouse", "quality": "hd", "style": "vivid", "background": "opaque",
				 "moderation": "low", "user": "someone", "output_format": "jpeg", "output_compression": 70,
				 "seed": 7}""").expectStatus()
			.isEqualTo(502)
			.expectHeader()
			.valueEquals("Image-Job-Id", "ignored1")
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("job_failed")
			.jsonPath("$.error.message")
			.value((message) -> org.assertj.core.api.Assertions.assertThat((String) message).contains("ignored1"));
		String input = UpstreamStub
			.json(SERVER.findAll(postRequestedFor(urlPathMatching(API + "/models/.+"))).getFirst().getBodyAsString())
			.path("input")
			.toString();
		org.assertj.core.api.Assertions.assertThat(input)
			.contains("\"output_format\":\"jpg\"", "\"output_quality\":70", "\"seed\":7")
			.doesNotContain("quality\":\"hd", "vivid", "someone");
		// an ordinary job
		getWith(TEAM_A_KEY, "/images/ignored1").exchange().expectStatus().isOk();
	}

	private WebTestClient.ResponseSpec generate(String key, String body) {
		return postWith(key, "/v1/images/generations").header(HttpHeaders.CONTENT_TYPE, "application/json")
			.bodyValue(body)
			.exchange();
	}

}
