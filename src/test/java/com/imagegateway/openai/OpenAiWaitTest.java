package com.imagegateway.openai;

import org.junit.jupiter.api.Test;

import com.imagegateway.GatewayIntegrationTest;
import com.imagegateway.UpstreamStub;

import org.springframework.http.HttpHeaders;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;

/**
 * A generation whose images are not ready within {@code gateway.openai.wait} answers 504
 * in OpenAI's shape, naming the job, which goes on and can be followed on
 * {@code /images}.
 */
@TestPropertySource(properties = "gateway.openai.wait=1s")
class OpenAiWaitTest extends GatewayIntegrationTest {

	@Test
	void aGenerationNotReadyInTimeNamesItsJobWhichGoesOn() {
		SERVER.stubFor(post(urlPathMatching(API + "/models/.+/.+/predictions"))
			.willReturn(okJson(UpstreamStub.prediction("slow1", "starting", null)).withStatus(201)));
		SERVER.stubFor(get(API + "/predictions/slow1")
			.willReturn(okJson(UpstreamStub.prediction("slow1", "processing", null))));

		postWith(TEAM_A_KEY, "/v1/images/generations").header(HttpHeaders.CONTENT_TYPE, "application/json")
			.bodyValue("""
					{"prompt": "a lighthouse"}""")
			.exchange()
			.expectStatus()
			.isEqualTo(504)
			.expectHeader()
			.valueEquals("Image-Job-Id", "slow1")
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("generation_timeout")
			.jsonPath("$.error.type")
			.isEqualTo("server_error");
		getWith(TEAM_A_KEY, "/images/slow1").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("processing");
	}

}
