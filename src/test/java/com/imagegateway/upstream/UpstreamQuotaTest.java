package com.imagegateway.upstream;

import org.junit.jupiter.api.Test;

import com.imagegateway.GatewayIntegrationTest;
import com.imagegateway.ImageGatewayApplication;
import com.imagegateway.UpstreamStub;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;

/** A gateway of its own whose upstream quota is 2 calls a minute per upstream key. */
class UpstreamQuotaTest {

	@Test
	void staysUnderTheUpstreamQuotaAndTellsCallersWhenToComeBack() {
		SERVER.resetAll();
		SERVER.stubFor(
				post(urlPathMatching(API + "/models/.+")).willReturn(okJson(prediction("quota", "starting", null))));
		try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(ImageGatewayApplication.class)
			.profiles("test")
			.run("--server.port=0", "--gateway.upstream.base-url=" + UpstreamStub.baseUrl(),
					"--gateway.upstream.limits.permits=2", "--gateway.upstream.limits.period=1m",
					"--gateway.upstream.limits.max-wait=0s",
					// the tracker's reads share the quota: held back here, so that the
					// creates alone spend it
					"--gateway.upstream.poll-interval=1h", "--gateway.upstream.max-poll-interval=1h")) {
			WebTestClient web = WebTestClient.bindToServer()
				.baseUrl("http://localhost:" + gateway.getEnvironment().getRequiredProperty("local.server.port"))
				.build();

			for (int i = 0; i < 2; i++) {
				create(web).expectStatus().isCreated();
			}
			create(web).expectStatus()
				.isEqualTo(503)
				.expectHeader()
				.exists(HttpHeaders.RETRY_AFTER)
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo("upstream_busy");
			// another client shares the same upstream key, and so its quota
			web.post()
				.uri("/images")
				.headers((headers) -> headers.setBearerAuth(GatewayIntegrationTest.TEAM_B_KEY))
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{\"model\": \"black-forest-labs/flux-schnell\", \"prompt\": \"x\"}")
				.exchange()
				.expectStatus()
				.isEqualTo(503);
			SERVER.verify(2, postRequestedFor(urlPathMatching(API + "/models/.+")));
		}
	}

	private static WebTestClient.ResponseSpec create(WebTestClient web) {
		return web.post()
			.uri("/images")
			.headers((headers) -> headers.setBearerAuth(GatewayIntegrationTest.TEAM_A_KEY))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\": \"a/b\", \"prompt\": \"x\"}")
			.exchange();
	}

}
