package com.imagegateway.spend;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import com.imagegateway.GatewayIntegrationTest;
import com.imagegateway.UpstreamStub;

import org.springframework.http.HttpHeaders;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What jobs cost, as callers and operators see it: the cost on every job answer,
 * estimated while it runs and final once it finished; {@code GET /usage} for a client's
 * own jobs only, in JSON and CSV; {@code GET /admin/usage} for the operators' key alone.
 */
class SpendTest extends GatewayIntegrationTest {

	@Test
	void aJobShowsItsEstimatedCostWhileItRunsAndItsRealCostOnceItFinished() {
		created("cost1");
		SERVER.stubFor(get(API + "/predictions/cost1")
			.willReturn(okJson(UpstreamStub.prediction("cost1", "processing", null))));

		// asked for two images: two are reserved
		createWith(TEAM_A_KEY, """
				{"model": "black-forest-labs/flux-schnell", "prompt": "a lighthouse", "numOutputs": 2}""")
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.cost.amount")
			.isEqualTo(0.006)
			.jsonPath("$.cost.currency")
			.isEqualTo("USD")
			.jsonPath("$.cost.priced")
			.isEqualTo("estimated");

		// the model made one
		SERVER.stubFor(get(API + "/predictions/cost1").willReturn(okJson(succeeded("cost1", 1))));
		await().untilAsserted(() -> getWith(TEAM_A_KEY, "/images/cost1").exchange()
			.expectBody()
			.jsonPath("$.cost.priced")
			.isEqualTo("final")
			.jsonPath("$.cost.amount")
			.isEqualTo(0.003));
	}

	@Test
	void aModelWithoutAPriceIsRecordedWithAnUnknownCost() {
		created("cost2");
		SERVER.stubFor(get(API + "/predictions/cost2").willReturn(okJson(succeeded("cost2", 1))));

		createWith(TEAM_A_KEY, """
				{"model": "someone/unpriced", "prompt": "a lighthouse"}""").expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.cost.priced")
			.isEqualTo("unknown")
			.jsonPath("$.cost.amount")
			.isEmpty();
	}

	@Test
	void usageCountsAClientsOwnFinishedJobsByModelAndDayInJsonAndCsv() {
		for (int i = 1; i <= 3; i++) {
			created("use" + i);
			SERVER.stubFor(get(API + "/predictions/use" + i).willReturn(okJson(succeeded("use" + i, i))));
			createWith(PRICED_KEY, """
					{"model": "black-forest-labs/flux-schnell", "prompt": "a lighthouse", "numOutputs": %d}"""
				.formatted(i)).expectStatus().isCreated();
		}
		// another client's job on the same day
		created("use-other");
		SERVER.stubFor(get(API + "/predictions/use-other").willReturn(okJson(succeeded("use-other", 1))));
		createWith(TEAM_C_KEY, """
				{"model": "black-forest-labs/flux-schnell", "prompt": "a lighthouse"}""").expectStatus().isCreated();
		String range = range();
		await().untilAsserted(() -> assertThat(usage(TEAM_C_KEY, "/usage?" + range).path("total").path("jobs").asLong())
			.isPositive());

		// 6 images at 0.003: its own jobs, not team-c's
		await().untilAsserted(() -> getWith(PRICED_KEY, "/usage?" + range).exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.total.jobs")
			.isEqualTo(3)
			.jsonPath("$.total.images")
			.isEqualTo(6)
			.jsonPath("$.total.cost")
			.isEqualTo(0.018));
		JsonNode usage = usage(PRICED_KEY, "/usage?" + range);
		assertThat(usage.path("currency").asString()).isEqualTo("USD");
		assertThat(usage.path("groupBy").asString()).isEqualTo("model");
		assertThat(usage.path("groups")).hasSize(1);
		assertThat(usage.path("groups").path(0).path("key").asString()).isEqualTo("black-forest-labs/flux-schnell");
		assertThat(usage.path("budget").isMissingNode()).isTrue();
		JsonNode byDay = usage(PRICED_KEY, "/usage?groupBy=day&" + range);
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		assertThat(byDay.path("groups").path(0).path("key").asString()).isIn(today.toString(),
				today.minusDays(1).toString());

		String csv = getWith(PRICED_KEY, "/usage?" + range).header(HttpHeaders.ACCEPT, "text/csv")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith("text/csv")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(csv)
			.isEqualTo("key,jobs,images,predictSeconds,cost,unpricedJobs\r\n" + "black-forest-labs/flux-schnell,3,6,"
					+ usage.path("total").path("predictSeconds").decimalValue().toPlainString() + ",0.018000,0\r\n");

		assertThat(value(scrape(),
				"gateway_spend_total{client=\"team-priced\",currency=\"USD\",model=\"black-forest-labs/flux-schnell\"}"))
			.isEqualTo(0.018, org.assertj.core.api.Assertions.within(1e-9));
		// the operators see every client
		JsonNode all = usage(ADMIN_KEY, "/admin/usage?" + range);
		assertThat(all.path("groupBy").asString()).isEqualTo("client");
		assertThat(all.path("groups").findValuesAsString("key")).contains("team-priced", "team-c");
	}

	@Test
	void theOperatorViewNeedsTheOperatorsKey() {
		this.web.get().uri("/admin/usage").exchange().expectStatus().isUnauthorized();
		getWith(TEAM_A_KEY, "/admin/usage").exchange()
			.expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("forbidden");
		getWith("not-a-key", "/admin/usage").exchange().expectStatus().isUnauthorized();
		getWith(ADMIN_KEY, "/admin/usage?groupBy=day").exchange().expectStatus().isOk();
		// the operators' key is no client's
		getWith(ADMIN_KEY, "/usage").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void aUsageQueryWithBadBoundsOrGroupingIsRefused() {
		for (String query : List.of("from=yesterday", "to=2026-13-01", "from=2026-12-02&to=2026-12-01",
				"from=2020-01-01&to=2026-01-01", "groupBy=client", "groupby=day")) {
			getWith(TEAM_A_KEY, "/usage?" + query).exchange()
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo("validation_failed");
		}
	}

	private JsonNode usage(String key, String uri) {
		return UpstreamStub.json(getWith(key, uri).exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());
	}

	/** Yesterday to tomorrow: a test that runs across midnight still sees its jobs. */
	private static String range() {
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		return "from=" + today.minusDays(1) + "&to=" + today.plusDays(2);
	}

	private static void created(String id) {
		SERVER.stubFor(post(urlPathMatching(API + "/models/.+/.+/predictions"))
			.willReturn(okJson(UpstreamStub.prediction(id, "starting", null)).withStatus(201)));
	}

	/** Succeeded with {@code images} outputs that are no images: settled at once. */
	private static String succeeded(String id, int images) {
		SERVER.stubFor(get(urlPathMatching("/files/" + id + "-.*")).willReturn(aResponse().withBody("not an image")));
		List<String> outputs = java.util.stream.IntStream.range(0, images)
			.mapToObj((i) -> SERVER.baseUrl() + "/files/" + id + "-" + i + ".png")
			.toList();
		ObjectNode prediction = (ObjectNode) UpstreamStub.json(UpstreamStub.prediction(id, "succeeded", outputs));
		prediction.put("completed_at", java.time.Instant.now().toString());
		return prediction.toString();
	}

}
