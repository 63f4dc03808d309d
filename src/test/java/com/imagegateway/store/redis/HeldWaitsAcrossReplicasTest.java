package com.imagegateway.store.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import com.imagegateway.UpstreamStub;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static com.imagegateway.GatewayIntegrationTest.TEAM_A_KEY;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many held requests and event streams on two replicas, on jobs that all end at once:
 * each is answered when its job's end is recorded, whichever replica's tracker records
 * it, not at the next periodic read of the store ({@code max-poll-interval}, 30 s here,
 * longer than the waits' patience: a wait that missed its notice would answer with a
 * running job).
 */
@Testcontainers(disabledWithoutDocker = true)
class HeldWaitsAcrossReplicasTest {

	private static final int HELD = 120;

	private static final int STREAMS = 60;

	/**
	 * Far above what the trackers need to notice the end (their pause is about a second
	 * by then).
	 */
	private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(10);

	/**
	 * The burst of creates at once is let through: this test is about what happens after.
	 */
	private static final Map<String, String> SETTINGS = Map.of("gateway.upstream.poll-interval", "300ms",
			"gateway.upstream.max-poll-interval", "30s", "gateway.upstream.limits.permits", "100000",
			"gateway.upstream.resilience.bulkhead.max-concurrent-calls", "512",
			"gateway.upstream.resilience.timeouts.create", "5s", "gateway.upstream.resilience.timeouts.read", "5s");

	private static RedisContainer redis;

	private static Gateway a;

	private static Gateway b;

	@BeforeAll
	static void startRedisAndTwoReplicas() {
		SERVER.resetAll();
		redis = new RedisContainer().start();
		a = Gateway.start(redis.url(), SETTINGS);
		b = Gateway.start(redis.url(), SETTINGS);
	}

	@AfterAll
	static void stopAll() {
		Gateway.closeAll(a, b, redis);
	}

	@Test
	void everyHeldRequestAndEventStreamOnEitherReplicaAnswersWhenItsJobsEndIsRecorded() {
		SERVER.stubFor(post(urlPathMatching(API + "/models/.+/.+/predictions")).willReturn(aResponse().withStatus(201)
			.withHeader("Content-Type", "application/json")
			.withBody(prediction("{{randomValue length=20 type='ALPHANUMERIC' lowercase=true}}", "starting", null,
					"{{now}}"))
			.withTransformers("response-template")));
		SERVER.stubFor(get(urlPathMatching(API + "/predictions/[a-z0-9]+")).inScenario("all at once")
			.whenScenarioStateIs(STARTED)
			.willReturn(templated(prediction("{{request.pathSegments.[3]}}", "processing", null, "{{now}}"))));
		SERVER.stubFor(get(urlPathMatching(API + "/predictions/[a-z0-9]+")).inScenario("all at once")
			.whenScenarioStateIs("ended")
			.willReturn(templated(((ObjectNode) UpstreamStub
				.json(prediction("{{request.pathSegments.[3]}}", "succeeded", List.of(), "{{now}}")))
				.put("completed_at", "{{now}}")
				.toString())));
		List<WebClient> replicas = List.of(client(a), client(b));

		CompletableFuture<List<Answer>> held = Flux.range(0, HELD)
			.flatMap((i) -> create(replicas.get(i % 2), "wait=25")
				.map((job) -> new Answer(job.path("id").asString(), job.path("status").asString(), System.nanoTime())),
					HELD)
			.collectList()
			.toFuture();
		List<String> streamed = Flux.range(0, STREAMS)
			.flatMap((i) -> create(replicas.get(i % 2), null).map((job) -> job.path("id").asString()))
			.collectList()
			.block(Duration.ofSeconds(60));
		List<CompletableFuture<Answer>> streams = new ArrayList<>();
		for (int i = 0; i < streamed.size(); i++) {
			// the stream on the replica that did not create the job
			streams.add(lastEvent(replicas.get((i + 1) % 2), streamed.get(i)).toFuture());
		}
		await().atMost(Duration.ofSeconds(60))
			.until(() -> SERVER.findAll(postRequestedFor(urlPathMatching(API + "/models/.+"))).size() == HELD
					+ STREAMS);

		SERVER.setScenarioState("all at once", "ended");
		long ended = System.nanoTime();

		List<Answer> answers = new ArrayList<>(held.orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join());
		streams.forEach((stream) -> answers.add(stream.orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join()));
		answers.sort(Comparator.comparingLong(Answer::at));
		Duration median = Duration.ofNanos(answers.get(answers.size() / 2).at() - ended);
		Duration last = Duration.ofNanos(answers.getLast().at() - ended);
		System.out.printf("held waits and event streams on two replicas: %d answered, median %d ms and last %d ms "
				+ "after the upstream ended them all%n", answers.size(), median.toMillis(), last.toMillis());
		assertThat(answers).hasSize(HELD + STREAMS).allSatisfy((answer) -> {
			assertThat(answer.status()).as(answer.id()).isEqualTo("succeeded");
			assertThat(Duration.ofNanos(answer.at() - ended)).as(answer.id()).isLessThan(ANSWERED_WITHIN);
		});
	}

	private static WebClient client(Gateway replica) {
		return WebClient.create("http://127.0.0.1:" + replica.port());
	}

	private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder templated(String body) {
		return aResponse().withHeader("Content-Type", "application/json")
			.withBody(body)
			.withTransformers("response-template");
	}

	private static Mono<JsonNode> create(WebClient replica, String prefer) {
		return replica.post().uri("/images").headers((headers) -> {
			headers.setBearerAuth(TEAM_A_KEY);
			if (prefer != null) {
				headers.set("Prefer", prefer);
			}
		})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\": \"black-forest-labs/flux-schnell\", \"prompt\": \"all at once\"}")
			.retrieve()
			.bodyToMono(JsonNode.class);
	}

	/** The stream's last status event, and when it came: the stream ends with the job. */
	private static Mono<Answer> lastEvent(WebClient replica, String id) {
		return replica.get()
			.uri("/images/" + id + "/events")
			.headers((headers) -> headers.setBearerAuth(TEAM_A_KEY))
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.filter((event) -> event.data() != null)
			.last()
			.map((event) -> new Answer(id, UpstreamStub.json(event.data()).path("status").asString(),
					System.nanoTime()));
	}

	private record Answer(String id, String status, long at) {
	}

}
