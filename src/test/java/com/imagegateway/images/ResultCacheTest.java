package com.imagegateway.images;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.imagegateway.GatewayIntegrationTest;
import com.imagegateway.UpstreamStub;

import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache of seeded requests: a request with a {@code seed} that repeats an earlier one
 * of the same client (or of one sharing with it) is answered with a new job holding
 * copies of the earlier job's stored images, and no prediction; nothing else is. WireMock
 * counts every create.
 */
class ResultCacheTest extends GatewayIntegrationTest {

	private static final String CREATES = API + "/models/.+/predictions";

	private static final AtomicInteger PREDICTIONS = new AtomicInteger();

	@Test
	void aRepeatedSeededRequestIsAnsweredWithItsOwnJobFromTheStoredImagesAndNoPrediction() {
		double hits = value(scrape(), "gateway_cache_lookups_total{client=\"team-cache\",outcome=\"hit\"}");
		String first = upstreamMakes();
		JsonNode original = created(CACHE_KEY, """
				{"model": "black-forest-labs/flux-schnell", "prompt": "a lighthouse", "seed": 7, "aspectRatio": "1:1",
				 "input": {"guidance": 3.50}}""", null, "MISS");
		assertThat(original.path("id").asString()).isEqualTo(first);
		assertThat(original.path("cached").asBoolean()).isFalse();

		// the same request, written otherwise: fields in another order, 3.5 for 3.50
		JsonNode answer = created(CACHE_KEY, """
				{"input": {"guidance": 3.5}, "aspectRatio": "1:1", "seed": 7, "prompt": "a lighthouse",
				 "model": "black-forest-labs/flux-schnell"}""", null, "HIT");

		assertThat(answer.path("id").asString()).isNotEqualTo(first).startsWith("c-");
		assertThat(answer.path("cached").asBoolean()).isTrue();
		assertThat(answer.path("status").asString()).isEqualTo("succeeded");
		assertThat(answer.path("cost").path("amount").decimalValue()).isZero();
		assertThat(answer.path("images").path(0).path("stored").asBoolean()).isTrue();
		SERVER.verify(1, postRequestedFor(urlPathMatching(CREATES)));
		byte[] image = getWith(CACHE_KEY, "/images/{id}/outputs/0", answer.path("id").asString()).exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(image).isEqualTo(UpstreamStub.PNG);
		getWith(CACHE_KEY, "/images/{id}", answer.path("id").asString()).exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.cached")
			.isEqualTo(true);
		assertThat(value(scrape(), "gateway_cache_lookups_total{client=\"team-cache\",outcome=\"hit\"}"))
			.isEqualTo(hits + 1);
	}

	@Test
	void aRequestWithoutASeedOrWithAnotherIsNeverAnsweredFromTheCache() {
		upstreamMakes();
		created(CACHE_KEY, seeded("a harbour", 11), null, "MISS");
		upstreamMakes();
		created(CACHE_KEY, seeded("a harbour", 12), null, "MISS");
		upstreamMakes();
		JsonNode unseeded = created(CACHE_KEY, """
				{"model": "black-forest-labs/flux-schnell", "prompt": "a harbour"}""", null, null);
		upstreamMakes();
		created(CACHE_KEY, """
				{"model": "black-forest-labs/flux-schnell", "prompt": "a harbour"}""", null, null);

		assertThat(unseeded.path("cached").asBoolean()).isFalse();
		SERVER.verify(4, postRequestedFor(urlPathMatching(CREATES)));
	}

	@Test
	void resultsAnswerOnlyTheirClientAndTheClientsItSharesWith() {
		upstreamMakes();
		created(CACHE_KEY, seeded("a lighthouse in fog", 21), null, "MISS");

		created(CACHE_FRIEND_KEY, seeded("a lighthouse in fog", 21), null, "HIT");
		upstreamMakes();
		created(CACHE_OTHER_KEY, seeded("a lighthouse in fog", 21), null, "MISS");
		// sharing goes one way: the friend's own results are not team-cache's
		upstreamMakes();
		created(CACHE_FRIEND_KEY, seeded("a quay at night", 22), null, "MISS");
		upstreamMakes();
		created(CACHE_KEY, seeded("a quay at night", 22), null, "MISS");

		SERVER.verify(4, postRequestedFor(urlPathMatching(CREATES)));
	}

	@Test
	void noCacheAsksForANewPredictionAndNoStoreKeepsItsResultOut() {
		upstreamMakes();
		created(CACHE_KEY, seeded("a pier", 31), "no-store", "MISS");
		upstreamMakes();
		created(CACHE_KEY, seeded("a pier", 31), null, "MISS");
		upstreamMakes();
		created(CACHE_KEY, seeded("a pier", 31), "no-cache", "MISS");
		created(CACHE_KEY, seeded("a pier", 31), null, "HIT");

		SERVER.verify(3, postRequestedFor(urlPathMatching(CREATES)));
	}

	@Test
	void maxAgeAsksTheCacheForAClientWithoutOneAndNoOlderResult() {
		upstreamMakes();
		created(NO_CACHE_KEY, seeded("a beacon", 41), null, "MISS");
		// no cache of its own: asked only with max-age, and only for a result that young
		upstreamMakes();
		created(NO_CACHE_KEY, seeded("a beacon", 41), null, "MISS");
		created(NO_CACHE_KEY, seeded("a beacon", 41), "max-age=3600", "HIT");
		upstreamMakes();
		created(NO_CACHE_KEY, seeded("a beacon", 41), "max-age=0", "MISS");

		SERVER.verify(3, postRequestedFor(urlPathMatching(CREATES)));
		postWith(NO_CACHE_KEY, "/images").header(HttpHeaders.CONTENT_TYPE, "application/json")
			.header(HttpHeaders.CACHE_CONTROL, "max-age=soon")
			.bodyValue(seeded("a beacon", 41))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("Cache-Control");
	}

	private static String seeded(String prompt, int seed) {
		return """
				{"model": "black-forest-labs/flux-schnell", "prompt": "%s", "seed": %d}""".formatted(prompt, seed);
	}

	/** The next create makes a prediction that succeeds at once, with one PNG. */
	private static String upstreamMakes() {
		String id = "cache-src-" + PREDICTIONS.incrementAndGet();
		UpstreamStub.succeedsAtOnce(id);
		return id;
	}

	/** Creates and holds until the job is settled (its images stored). */
	private JsonNode created(String key, String body, String cacheControl, String expectedCache) {
		EntityExchangeResult<String> result = postWith(key, "/images")
			.header(HttpHeaders.CONTENT_TYPE, "application/json")
			.header("Prefer", "wait=10")
			.headers((headers) -> {
				if (cacheControl != null) {
					headers.set(HttpHeaders.CACHE_CONTROL, cacheControl);
				}
			})
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(String.class)
			.returnResult();
		assertThat(result.getResponseHeaders().getFirst("Gateway-Cache")).as(body).isEqualTo(expectedCache);
		JsonNode job = UpstreamStub.json(result.getResponseBody());
		assertThat(job.path("images").path(0).path("stored").asBoolean()).as(result.getResponseBody()).isTrue();
		return job;
	}

}
