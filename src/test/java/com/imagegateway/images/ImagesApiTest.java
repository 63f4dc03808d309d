package com.imagegateway.images;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.imagegateway.Concurrently;
import com.imagegateway.GatewayIntegrationTest;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.http.HttpHeaders;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
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
import static com.imagegateway.UpstreamStub.seed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ImagesApiTest extends GatewayIntegrationTest {

	static final String SCHNELL = "black-forest-labs/flux-schnell";

	static final String SCHNELL_CREATE = API + "/models/black-forest-labs/flux-schnell/predictions";

	static final String SEED_PROMPT = UpstreamStubs.seedPrompt();

	/** Waits until the tracker has recorded the job in this status. */
	private void awaitStatus(String key, String id, String status) {
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> getWith(key, "/images/{id}", id).exchange()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo(status));
	}

	@Test
	void createsByModelPathSendingTheSimplifiedFieldsAsTheSeedsUpstreamInput() {
		SERVER.stubFor(post(SCHNELL_CREATE).willReturn(aResponse().withStatus(201)
			.withHeader("Content-Type", "application/json")
			.withBody(seed("seed-create-response.json"))));

		createWith(TEAM_A_KEY, """
				{"model": "black-forest-labs/flux-schnell", "prompt": %s, "aspectRatio": "1:1", "numOutputs": 1,
				 "outputFormat": "jpg",
				 "input": {"go_fast": true, "megapixels": "1", "output_quality": 80, "num_inference_steps": 4}}
				""".formatted(UpstreamStubs.quoted(SEED_PROMPT))).expectStatus()
			.isCreated()
			.expectHeader()
			.location("/images/qpt5jq1fssrmc0cmd5hvy31mdg")
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo("qpt5jq1fssrmc0cmd5hvy31mdg")
			.jsonPath("$.model")
			.isEqualTo(SCHNELL)
			.jsonPath("$.version")
			.isEqualTo("dp-4d0bcc010b3049749a251855f12800be")
			.jsonPath("$.status")
			.isEqualTo("starting")
			.jsonPath("$.prompt")
			.isEqualTo(SEED_PROMPT)
			.jsonPath("$.images")
			.isEmpty()
			.jsonPath("$.createdAt")
			.isEqualTo("2025-01-15T09:54:55.566Z")
			.jsonPath("$.urls")
			.doesNotExist()
			.jsonPath("$.logs")
			.doesNotExist()
			.jsonPath("$.input")
			.doesNotExist();

		SERVER.verify(1,
				postRequestedFor(urlEqualTo(SCHNELL_CREATE))
					.withHeader(HttpHeaders.AUTHORIZATION, equalTo("Bearer " + UPSTREAM_KEY))
					.withRequestBody(equalToJson(seed("seed-create-by-model-request.json"))));
	}

	@Test
	void createsAPinnedVersionThroughThePredictionsEndpointPassingLoraInputThrough() {
		SERVER.stubFor(post(API + "/predictions").willReturn(okJson(prediction("lora1", "starting", null))));

		createWith(TEAM_A_KEY, """
				{"model": "lucataco/flux-schnell-lora:2a6b576af31790b470f0a8442e1e9791213fa13799cbb65a9fc1436e96389574",
				 "prompt": %s, "numOutputs": 1, "aspectRatio": "1:1", "outputFormat": "webp",
				 "input": {"hf_lora": "alvdansen/frosting_lane_flux", "lora_scale": 0.8, "output_quality": 80,
				           "prompt_strength": 0.8, "num_inference_steps": 4}}
				""".formatted(UpstreamStubs.quoted(SEED_PROMPT))).expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo("lora1")
			.jsonPath("$.model")
			.isEqualTo("lucataco/flux-schnell-lora:2a6b576af31790b470f0a8442e1e9791213fa13799cbb65a9fc1436e96389574");

		SERVER.verify(1, postRequestedFor(urlEqualTo(API + "/predictions"))
			.withRequestBody(equalToJson(seed("seed-create-by-version-request.json"))));
		SERVER.verify(0, postRequestedFor(urlPathMatching(API + "/models/.*")));
	}

	@Test
	void cancelAfterReachesTheUpstreamAsItsCancelAfterHeader() {
		UpstreamStubs.created("limited1");

		createWith(TEAM_A_KEY, """
				{"model": "black-forest-labs/flux-schnell", "prompt": "a lighthouse", "cancelAfter": "1h30m"}""")
			.expectStatus()
			.isCreated();

		SERVER.verify(1, postRequestedFor(urlEqualTo(SCHNELL_CREATE)).withHeader("Cancel-After", equalTo("5400s"))
			.withRequestBody(equalToJson("{\"input\": {\"prompt\": \"a lighthouse\"}}")));
		createWith(TEAM_A_KEY, UpstreamStubs.simpleRequest()).expectStatus().isCreated();
		SERVER.verify(1, postRequestedFor(urlEqualTo(SCHNELL_CREATE)).withoutHeader("Cancel-After"));
	}

	@Test
	void readsOutputsGivenAsAnArrayWithTheirOneHourExpiry() {
		UpstreamStubs.created("ctdwaehfz1rm80cmd5nsjd8114");
		SERVER.stubFor(get(API + "/predictions/ctdwaehfz1rm80cmd5nsjd8114")
			.willReturn(okJson(seed("seed-read-response.json"))));
		createWith(TEAM_A_KEY, UpstreamStubs.simpleRequest()).expectStatus().isCreated();
		awaitStatus(TEAM_A_KEY, "ctdwaehfz1rm80cmd5nsjd8114", "succeeded");

		getWith(TEAM_A_KEY, "/images/ctdwaehfz1rm80cmd5nsjd8114").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("succeeded")
			.jsonPath("$.images.length()")
			.isEqualTo(1)
			.jsonPath("$.images[0].url")
			.isEqualTo("https://replicate.delivery/xezq/RoEhEdyl8PoIGFFPg46TU4Svj24i1NDVYmzehJfqLuX9nTFUA/out-0.jpg")
			.jsonPath("$.images[0].expiresAt")
			.isEqualTo("2025-01-15T11:03:41.142386377Z")
			.jsonPath("$.startedAt")
			.isEqualTo("2025-01-15T10:03:40.584470194Z")
			.jsonPath("$.completedAt")
			.isEqualTo("2025-01-15T10:03:41.142386377Z")
			.jsonPath("$.predictTimeSeconds")
			.isEqualTo(0.557916184)
			.jsonPath("$.error")
			.isEmpty()
			.jsonPath("$.urls")
			.doesNotExist();
	}

	@Test
	void readsAnOutputGivenAsASingleString() {
		UpstreamStubs.created("single1");
		SERVER.stubFor(get(API + "/predictions/single1")
			.willReturn(okJson(prediction("single1", "succeeded", "https://replicate.delivery/x/out-0.webp"))));
		createWith(TEAM_A_KEY, UpstreamStubs.simpleRequest()).expectStatus().isCreated();
		awaitStatus(TEAM_A_KEY, "single1", "succeeded");

		getWith(TEAM_A_KEY, "/images/single1").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.images.length()")
			.isEqualTo(1)
			.jsonPath("$.images[0].url")
			.isEqualTo("https://replicate.delivery/x/out-0.webp");
	}

	@Test
	void aJobNobodyReadsIsFollowedToItsEndOnceAndThenServedFromTheStore() {
		UpstreamStubs.created("done1");
		SERVER.stubFor(get(API + "/predictions/done1")
			.willReturn(okJson(prediction("done1", "succeeded", List.of("https://replicate.delivery/x/1.webp")))));
		createWith(TEAM_A_KEY, UpstreamStubs.simpleRequest()).expectStatus().isCreated();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> SERVER.verify(1, getRequestedFor(urlEqualTo(API + "/predictions/done1"))));

		for (int i = 0; i < 3; i++) {
			getWith(TEAM_A_KEY, "/images/done1").exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("succeeded");
		}
		SERVER.verify(1, getRequestedFor(urlEqualTo(API + "/predictions/done1")));
	}

	@Test
	void aFinishedJobCarriesAStrongETagAndAnswersNotModifiedToIt() {
		UpstreamStubs.created("etag1");
		SERVER.stubFor(get(API + "/predictions/etag1")
			.willReturn(okJson(prediction("etag1", "succeeded", List.of("https://replicate.delivery/x/1.webp")))));
		createWith(TEAM_A_KEY, UpstreamStubs.simpleRequest()).expectStatus()
			.isCreated()
			.expectHeader()
			.doesNotExist(HttpHeaders.ETAG);
		awaitStatus(TEAM_A_KEY, "etag1", "succeeded");

		String etag = getWith(TEAM_A_KEY, "/images/etag1").exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("application/json")
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("succeeded")
			.returnResult()
			.getResponseHeaders()
			.getETag();
		assertThat(etag).matches("\"[A-Za-z0-9_-]{24}\"");
		getWith(TEAM_A_KEY, "/images/etag1").exchange().expectHeader().valueEquals(HttpHeaders.ETAG, etag);

		getWith(TEAM_A_KEY, "/images/etag1").header(HttpHeaders.IF_NONE_MATCH, etag)
			.exchange()
			.expectStatus()
			.isNotModified()
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, etag)
			.expectBody()
			.isEmpty();
		getWith(TEAM_A_KEY, "/images/etag1").header(HttpHeaders.IF_NONE_MATCH, "\"something-else\"")
			.exchange()
			.expectStatus()
			.isOk();
		getWith(TEAM_B_KEY, "/images/etag1").header(HttpHeaders.IF_NONE_MATCH, etag)
			.exchange()
			.expectStatus()
			.isNotFound();
		SERVER.verify(1, getRequestedFor(urlEqualTo(API + "/predictions/etag1")));
	}

	@Test
	void aRunningJobHasNoETag() {
		UpstreamStubs.created("noetag1");
		SERVER.stubFor(get(API + "/predictions/noetag1").willReturn(okJson(prediction("noetag1", "processing", null))));
		createWith(TEAM_A_KEY, UpstreamStubs.simpleRequest()).expectStatus().isCreated();

		getWith(TEAM_A_KEY, "/images/noetag1").exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist(HttpHeaders.ETAG);
	}

	@Test
	void fiftyConcurrentReadersOfARunningJobCauseNoUpstreamReadsBeyondTheTrackers() {
		UpstreamStubs.created("running1");
		SERVER
			.stubFor(get(API + "/predictions/running1").willReturn(okJson(prediction("running1", "processing", null))));
		createWith(TEAM_A_KEY, UpstreamStubs.simpleRequest()).expectStatus().isCreated();
		awaitStatus(TEAM_A_KEY, "running1", "processing");
		// the tracker's pauses grow from 50 ms; after 5 checks they are at their longest,
		// 200 ms
		await().atMost(Duration.ofSeconds(5)).until(() -> upstreamReads("running1") >= 5);
		long before = upstreamReads("running1");
		long started = System.nanoTime();

		List<String> statuses = Concurrently.run(50,
				() -> getWith(TEAM_A_KEY, "/images/running1").exchange()
					.expectStatus()
					.isOk()
					.expectBody(ImageJob.class)
					.returnResult()
					.getResponseBody()
					.status()
					.value());

		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(statuses).hasSize(50).containsOnly("processing");
		// the tracker asks every 200 ms now, whatever the readers do
		assertThat(upstreamReads("running1") - before).isLessThanOrEqualTo(took.toMillis() / 200 + 1);
	}

	private static long upstreamReads(String id) {
		return SERVER.countRequestsMatching(getRequestedFor(urlEqualTo(API + "/predictions/" + id)).build()).getCount();
	}

	@Test
	void keepsAJobRunningWhenTheUpstreamReportsAStatusTheGatewayDoesNotKnow(CapturedOutput output) {
		UpstreamStubs.created("odd1");
		SERVER.stubFor(get(API + "/predictions/odd1").willReturn(okJson(prediction("odd1", "warming_up", null))));
		createWith(TEAM_A_KEY, UpstreamStubs.simpleRequest()).expectStatus().isCreated();
		await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains("unknown status 'warming_up'"));

		getWith(TEAM_A_KEY, "/images/odd1").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("starting");
		assertThat(output.getAll()).contains("unknown status 'warming_up'");
	}

	@Test
	void answersNotFoundForAnotherClientsJobExactlyAsForAnUnknownId() {
		UpstreamStubs.created("mine1");
		createWith(TEAM_A_KEY, UpstreamStubs.simpleRequest()).expectStatus().isCreated();
		SERVER.resetRequests();

		String othersJob = getWith(TEAM_B_KEY, "/images/mine1").exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType("application/problem+json")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		String unknown = getWith(TEAM_B_KEY, "/images/nope1").exchange()
			.expectStatus()
			.isNotFound()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(othersJob.replace("mine1", "ID")).isEqualTo(unknown.replace("nope1", "ID"));
		assertThat(othersJob).contains("\"code\":\"not_found\"");

		postWith(TEAM_B_KEY, "/images/mine1/cancel").exchange().expectStatus().isNotFound();
		ImageJobPage othersList = getWith(TEAM_B_KEY, "/images?limit=100").exchange()
			.expectBody(ImageJobPage.class)
			.returnResult()
			.getResponseBody();
		assertThat(othersList.items()).extracting(ImageJob::id).doesNotContain("mine1");
		SERVER.verify(0, postRequestedFor(anyUrl()));
	}

	@Test
	void cancelForwardsToTheUpstreamCancel() {
		UpstreamStubs.created("tocancel");
		SERVER
			.stubFor(get(API + "/predictions/tocancel").willReturn(okJson(prediction("tocancel", "processing", null))));
		SERVER.stubFor(post(API + "/predictions/tocancel/cancel")
			.willReturn(okJson(prediction("tocancel", "canceled", null))));
		createWith(TEAM_A_KEY, UpstreamStubs.simpleRequest()).expectStatus().isCreated();

		postWith(TEAM_A_KEY, "/images/tocancel/cancel").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("canceled");
		SERVER.verify(1, postRequestedFor(urlEqualTo(API + "/predictions/tocancel/cancel")));

		getWith(TEAM_A_KEY, "/images/tocancel").exchange().expectBody().jsonPath("$.status").isEqualTo("canceled");
		// the tracker sees the job finished in the store and stops asking
		long reads = upstreamReads("tocancel");
		await().during(Duration.ofMillis(600))
			.atMost(Duration.ofSeconds(2))
			.until(() -> upstreamReads("tocancel") <= reads + 1);
	}

	@Test
	void cancelOfAFinishedJobIsAConflictAndCallsNoUpstream() {
		UpstreamStubs.created("finished1", "failed");
		createWith(TEAM_A_KEY, UpstreamStubs.simpleRequest()).expectStatus().isCreated();
		SERVER.resetRequests();

		postWith(TEAM_A_KEY, "/images/finished1/cancel").exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("job_finished");
		SERVER.verify(0, postRequestedFor(anyUrl()));
	}

	@Test
	void listsOnlyTheCallersJobsNewestFirstPageByPage() {
		UpstreamStubs.created("old", "starting", "2026-01-01T10:00:00Z");
		createWith(TEAM_C_KEY, UpstreamStubs.simpleRequest()).expectStatus().isCreated();
		UpstreamStubs.created("middle", "succeeded", "2026-01-01T11:00:00Z");
		createWith(TEAM_C_KEY, UpstreamStubs.simpleRequest()).expectStatus().isCreated();
		UpstreamStubs.created("new", "starting", "2026-01-01T12:00:00Z");
		createWith(TEAM_C_KEY, UpstreamStubs.simpleRequest()).expectStatus().isCreated();
		UpstreamStubs.created("bs", "starting", "2026-01-01T13:00:00Z");
		createWith(TEAM_B_KEY, UpstreamStubs.simpleRequest()).expectStatus().isCreated();

		ImageJobPage first = getWith(TEAM_C_KEY, "/images?limit=2").exchange()
			.expectStatus()
			.isOk()
			.expectBody(ImageJobPage.class)
			.returnResult()
			.getResponseBody();
		assertThat(first.items()).extracting(ImageJob::id).containsExactly("new", "middle");
		assertThat(first.nextCursor()).isNotNull();

		ImageJobPage second = getWith(TEAM_C_KEY, "/images?limit=2&cursor={cursor}", first.nextCursor()).exchange()
			.expectBody(ImageJobPage.class)
			.returnResult()
			.getResponseBody();
		assertThat(second.items()).extracting(ImageJob::id).containsExactly("old");
		assertThat(second.nextCursor()).isNull();

		getWith(TEAM_C_KEY, "/images?status=succeeded").exchange()
			.expectBody()
			.jsonPath("$.items[*].id")
			.isEqualTo(List.of("middle"))
			.jsonPath("$.nextCursor")
			.isEmpty();
	}

	@Test
	void refusesAModelTheClientMayNotUseWithoutCallingTheUpstream() {
		createWith(TEAM_B_KEY, """
				{"model": "stability-ai/sdxl", "prompt": "a cat"}""").expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("model_not_allowed");
		SERVER.verify(0, postRequestedFor(anyUrl()));
	}

	@Test
	void preferWaitHoldsTheAnswerUntilTheJobHasFinished() {
		UpstreamStubs.created("waited");
		UpstreamStubs.readsInTurn("waited", prediction("waited", "processing", null),
				prediction("waited", "succeeded", List.of("https://replicate.delivery/x/w.webp")));

		postWith(TEAM_A_KEY, "/images").header("Prefer", "wait=10")
			.header(HttpHeaders.CONTENT_TYPE, "application/json")
			.bodyValue(UpstreamStubs.simpleRequest())
			.exchange()
			.expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals("Preference-Applied", "wait=10")
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("succeeded")
			.jsonPath("$.images[0].url")
			.isEqualTo("https://replicate.delivery/x/w.webp");
	}

	@Test
	void preferWaitAnswersWithWhatIsKnownWhenTheTimeRunsOut() {
		UpstreamStubs.created("slow");
		SERVER.stubFor(get(API + "/predictions/slow").willReturn(okJson(prediction("slow", "processing", null))));

		postWith(TEAM_A_KEY, "/images").header("Prefer", "wait=1")
			.header(HttpHeaders.CONTENT_TYPE, "application/json")
			.bodyValue(UpstreamStubs.simpleRequest())
			.exchange()
			.expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals("Preference-Applied", "wait=1")
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("processing");
	}

	@Test
	void upstreamReceivesTheUpstreamKeyAndNeverTheCallersKey() {
		UpstreamStubs.created("keys1");
		SERVER.stubFor(get(API + "/predictions/keys1").willReturn(okJson(prediction("keys1", "processing", null))));
		createWith(TEAM_A_KEY, UpstreamStubs.simpleRequest()).expectStatus().isCreated();
		await().atMost(Duration.ofSeconds(5)).until(() -> upstreamReads("keys1") > 0);
		getWith(TEAM_A_KEY, "/images/keys1").exchange().expectStatus().isOk();

		assertThat(SERVER.findAll(anyRequestedFor(anyUrl()))).hasSizeGreaterThanOrEqualTo(2).allSatisfy((request) -> {
			assertThat(request.getHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer " + UPSTREAM_KEY);
			assertThat(request.getHeaders().all().toString()).doesNotContain(TEAM_A_KEY);
		});
	}

}
