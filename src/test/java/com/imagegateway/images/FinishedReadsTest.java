package com.imagegateway.images;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.imagegateway.GatewayIntegrationTest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reads of settled jobs answered before the handler mapping behave as the documented
 * operation.
 */
class FinishedReadsTest extends GatewayIntegrationTest {

	private static final String SCHNELL = "black-forest-labs/flux-schnell";

	@Test
	void aSettledJobsReadIsCountedAsGetImageOnItsTemplateWhetherAnsweredOrNotModified() {
		String ok = "http_server_requests_seconds_count{client=\"team-a\",code=\"none\",error=\"none\",exception=\"none\",held=\"false\",method=\"GET\","
				+ "operation=\"getImage\",outcome=\"SUCCESS\",status=\"200\",uri=\"/images/{id}\"}";
		String notModified = "http_server_requests_seconds_count{client=\"team-a\",code=\"none\",error=\"none\",exception=\"none\",held=\"false\",method=\"GET\","
				+ "operation=\"getImage\",outcome=\"REDIRECTION\",status=\"304\",uri=\"/images/{id}\"}";
		String id = settledJob("fastread1");
		double okBefore = value(scrape(), ok);
		double notModifiedBefore = value(scrape(), notModified);

		String etag = getWith(TEAM_A_KEY, "/images/{id}", id).exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(id)
			.returnResult()
			.getResponseHeaders()
			.getETag();
		getWith(TEAM_A_KEY, "/images/{id}", id).header(HttpHeaders.IF_NONE_MATCH, etag)
			.exchange()
			.expectStatus()
			.isNotModified()
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, etag);

		String scrape = scrape();
		assertThat(value(scrape, ok)).isEqualTo(okBefore + 1);
		assertThat(value(scrape, notModified)).isEqualTo(notModifiedBefore + 1);
	}

	@Test
	void aSettledJobIsNoneOfAnotherClientsBusiness() {
		String id = settledJob("fastread2");

		getWith(TEAM_B_KEY, "/images/{id}", id).exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("not_found");
	}

	@Test
	void aReadThatDoesNotAcceptJsonGetsTheControllersAnswer() {
		String id = settledJob("fastread3");

		getWith(TEAM_A_KEY, "/images/{id}", id).accept(MediaType.TEXT_HTML).exchange().expectStatus().isEqualTo(406);
		getWith(TEAM_A_KEY, "/images/{id}", id).accept(MediaType.TEXT_HTML, MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.exists(HttpHeaders.ETAG);
	}

	@Test
	void aHeadOfASettledJobHasTheReadsHeadersAndNoBody() {
		String id = settledJob("fastread5");
		String etag = getWith(TEAM_A_KEY, "/images/{id}", id).exchange()
			.returnResult(String.class)
			.getResponseHeaders()
			.getETag();

		this.web.head()
			.uri("/images/{id}", id)
			.headers((headers) -> headers.setBearerAuth(TEAM_A_KEY))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, etag)
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.isEmpty();
	}

	@Test
	void aRunningJobIsReadByTheControllerWithoutAnETag() {
		SERVER.stubFor(post(urlPathMatching(API + "/models/.+"))
			.willReturn(okJson(prediction("fastread4", "starting", null))));
		SERVER.stubFor(
				get(API + "/predictions/fastread4").willReturn(okJson(prediction("fastread4", "processing", null))));
		createWith(TEAM_A_KEY, "{\"model\": \"" + SCHNELL + "\", \"prompt\": \"x\"}").expectStatus().isCreated();

		getWith(TEAM_A_KEY, "/images/{id}", "fastread4").exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist(HttpHeaders.ETAG)
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo("fastread4");
	}

	private String settledJob(String id) {
		SERVER.stubFor(post(urlPathMatching(API + "/models/.+")).willReturn(okJson(prediction(id, "starting", null))));
		SERVER.stubFor(get(API + "/predictions/" + id).willReturn(okJson(prediction(id, "failed", null))));
		createWith(TEAM_A_KEY, "{\"model\": \"" + SCHNELL + "\", \"prompt\": \"x\"}").expectStatus().isCreated();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(
					() -> getWith(TEAM_A_KEY, "/images/{id}", id).exchange().expectHeader().exists(HttpHeaders.ETAG));
		return id;
	}

}
