package com.imagegateway.store.redis;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;

import com.imagegateway.UpstreamStub;

import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.GatewayIntegrationTest.CACHE_FRIEND_KEY;
import static com.imagegateway.GatewayIntegrationTest.CACHE_KEY;
import static com.imagegateway.GatewayIntegrationTest.CACHE_OTHER_KEY;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache of seeded requests on two replicas sharing a real Redis: a result settled on
 * one answers the same request on the other, for its client and the one it shares with,
 * and for no other.
 */
@Testcontainers(disabledWithoutDocker = true)
class ResultCacheAcrossReplicasTest {

	private static final String REQUEST = """
			{"model": "black-forest-labs/flux-schnell", "prompt": "a lighthouse at dawn", "seed": 1234}""";

	private static RedisContainer redis;

	private static Gateway a;

	private static Gateway b;

	@BeforeAll
	static void startRedisAndTwoReplicas() {
		redis = new RedisContainer().start();
		a = Gateway.start(redis.url(), Map.of());
		b = Gateway.start(redis.url(), Map.of());
	}

	@AfterAll
	static void stopAll() {
		Gateway.closeAll(a, b, redis);
	}

	@Test
	void aResultSettledOnOneReplicaAnswersTheSameRequestOnTheOtherForItsClientsOnly() {
		SERVER.resetAll();
		UpstreamStub.succeedsAtOnce("across-cache-1");
		JsonNode original = created(a, CACHE_KEY, "MISS");

		JsonNode answer = created(b, CACHE_KEY, "HIT");
		assertThat(answer.path("id").asString()).isNotEqualTo(original.path("id").asString());
		assertThat(answer.path("cached").asBoolean()).isTrue();
		byte[] image = b.get(CACHE_KEY, "/images/" + answer.path("id").asString() + "/outputs/0")
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(image).isEqualTo(UpstreamStub.PNG);
		created(a, CACHE_FRIEND_KEY, "HIT");
		SERVER.verify(1, postRequestedFor(urlPathMatching(API + "/models/.+")));

		UpstreamStub.succeedsAtOnce("across-cache-2");
		created(b, CACHE_OTHER_KEY, "MISS");
		SERVER.verify(2, postRequestedFor(urlPathMatching(API + "/models/.+")));
		assertThat(a.counter("gateway.cache.lookups", "client", "team-cache-friend", "outcome", "hit")
				+ b.counter("gateway.cache.lookups", "client", "team-cache", "outcome", "hit"))
			.isEqualTo(2);
	}

	private static JsonNode created(Gateway replica, String key, String expected) {
		HttpHeaders headers = new HttpHeaders();
		headers.set("Prefer", "wait=10");
		EntityExchangeResult<String> result = replica.create(key, REQUEST, headers)
			.expectStatus()
			.isCreated()
			.expectBody(String.class)
			.returnResult();
		assertThat(result.getResponseHeaders().getFirst("Gateway-Cache")).isEqualTo(expected);
		JsonNode job = UpstreamStub.json(result.getResponseBody());
		assertThat(job.path("images").path(0).path("stored").asBoolean()).as(result.getResponseBody()).isTrue();
		return job;
	}

}
