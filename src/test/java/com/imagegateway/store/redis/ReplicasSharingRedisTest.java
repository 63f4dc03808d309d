package com.imagegateway.store.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Testcontainers;
import reactor.core.publisher.Flux;
import tools.jackson.databind.node.ObjectNode;

import com.imagegateway.UpstreamStub;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.Concurrently.CONCURRENTLY;
import static com.imagegateway.GatewayIntegrationTest.CAPPED_KEY;
import static com.imagegateway.GatewayIntegrationTest.LIMITED_KEY;
import static com.imagegateway.GatewayIntegrationTest.SANDBOX_KEY;
import static com.imagegateway.GatewayIntegrationTest.TEAM_A_KEY;
import static com.imagegateway.GatewayIntegrationTest.TEAM_B_KEY;
import static com.imagegateway.GatewayIntegrationTest.TEAM_C_KEY;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of the gateway on one real Redis (Testcontainers), against the WireMock
 * upstream: whichever replica a request reaches, it sees the same jobs, idempotency keys
 * and limits; a replica restart or a Redis restart loses nothing; Redis down refuses
 * creates before anything reaches the upstream.
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(OutputCaptureExtension.class)
class ReplicasSharingRedisTest {

	private static final String MODEL_PATH = API + "/models/.+/.+/predictions";

	/** The smallest PNG: one transparent pixel. */
	private static final String PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

	private static final String REQUEST = """
			{"model": "black-forest-labs/flux-schnell", "prompt": "a lighthouse at dawn"}""";

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

	@BeforeEach
	void cleanSlate() {
		SERVER.resetAll();
		redis.flushAll();
	}

	@Test
	void aJobCreatedOnOneReplicaIsReadListedAndCanceledOnTheOther() {
		created("p-shared");
		SERVER
			.stubFor(get(API + "/predictions/p-shared").willReturn(okJson(prediction("p-shared", "processing", null))));
		SERVER.stubFor(post(API + "/predictions/p-shared/cancel")
			.willReturn(okJson(prediction("p-shared", "canceled", null))));

		a.create(TEAM_A_KEY, REQUEST).expectStatus().isCreated();

		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> b.get(TEAM_A_KEY, "/images/p-shared")
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("processing"));
		b.get(TEAM_A_KEY, "/images").expectStatus().isOk().expectBody().jsonPath("$.items[0].id").isEqualTo("p-shared");
		b.get(TEAM_B_KEY, "/images/p-shared").expectStatus().isNotFound();
		b.get(TEAM_B_KEY, "/images").expectStatus().isOk().expectBody().jsonPath("$.items.length()").isEqualTo(0);
		b.post(TEAM_A_KEY, "/images/p-shared/cancel")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("canceled");
		a.get(TEAM_A_KEY, "/images/p-shared")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("canceled");
		b.post(TEAM_B_KEY, "/images/p-shared/cancel").expectStatus().isNotFound();
	}

	@Test
	void theSameIdempotencyKeyOnBothReplicasAtOnceCreatesOnePrediction() {
		SERVER.stubFor(post(urlPathMatching(MODEL_PATH))
			.willReturn(okJson(prediction("p-once", "starting", null)).withStatus(201).withFixedDelay(300)));
		HttpHeaders headers = new HttpHeaders();
		headers.set("Idempotency-Key", "order-42");

		List<CompletableFuture<String>> answers = new ArrayList<>();
		for (Gateway replica : List.of(a, b, a, b)) {
			answers.add(CompletableFuture.supplyAsync(() -> new String(replica.create(TEAM_A_KEY, REQUEST, headers)
				.expectStatus()
				.isCreated()
				.expectBody()
				.returnResult()
				.getResponseBodyContent()), CONCURRENTLY));
		}

		assertThat(answers).allSatisfy(
				(answer) -> assertThat(UpstreamStub.json(answer.join()).path("id").asString()).isEqualTo("p-once"));
		SERVER.verify(1, postRequestedFor(urlPathMatching(MODEL_PATH)));
	}

	@Test
	void aClientsCreateLimitIsOneBudgetAcrossReplicas() {
		created("p-limited");
		List<HttpStatus> statuses = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			Gateway replica = (i % 2 == 0) ? a : b;
			statuses.add(HttpStatus
				.valueOf(replica.create(LIMITED_KEY, REQUEST).returnResult(String.class).getStatus().value()));
		}

		// team-limited may create 2 per minute
		assertThat(statuses).filteredOn(HttpStatus.CREATED::equals).hasSize(2);
		assertThat(statuses).filteredOn(HttpStatus.TOO_MANY_REQUESTS::equals).hasSize(4);
		SERVER.verify(2, postRequestedFor(urlPathMatching(MODEL_PATH)));
		b.create(LIMITED_KEY, REQUEST)
			.expectStatus()
			.isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectHeader()
			.valueEquals("RateLimit-Limit", "2")
			.expectHeader()
			.valueEquals("RateLimit-Remaining", "0")
			.expectHeader()
			.exists(HttpHeaders.RETRY_AFTER);
	}

	@Test
	void theRunningJobsCapCountsJobsOnEveryReplica() {
		created("p-capped");
		SERVER
			.stubFor(get(API + "/predictions/p-capped").willReturn(okJson(prediction("p-capped", "processing", null))));

		a.create(CAPPED_KEY, REQUEST).expectStatus().isCreated();
		b.create(CAPPED_KEY, REQUEST)
			.expectStatus()
			.isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("too_many_running_jobs");
		SERVER.verify(1, postRequestedFor(urlPathMatching(MODEL_PATH)));

		// whichever replica tracks the job sees it finish: the place is free for a create
		// on either
		SERVER.stubFor(get(API + "/predictions/p-capped")
			.willReturn(okJson(prediction("p-capped", "succeeded", List.of("https://files.example/out.webp")))));
		awaitStatus(b, "p-capped", CAPPED_KEY, "succeeded");
		a.create(CAPPED_KEY, REQUEST).expectStatus().isCreated();
	}

	@Test
	void theUpstreamQuotaIsOneBudgetAcrossReplicas() {
		// finished when created: no tracker reads share the quota with the creates here
		SERVER.stubFor(post(urlPathMatching(MODEL_PATH)).willReturn(
				okJson(prediction("p-quota", "succeeded", List.of("https://files.example/out.webp"))).withStatus(201)));
		Map<String, String> scarce = Map.of("gateway.upstream.limits.permits", "3", "gateway.upstream.limits.period",
				"1m", "gateway.upstream.limits.max-wait", "0s");
		try (Gateway c = Gateway.start(redis.url(), scarce); Gateway d = Gateway.start(redis.url(), scarce)) {
			List<Integer> statuses = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				statuses.add(((i % 2 == 0) ? c : d).create(TEAM_A_KEY, REQUEST)
					.returnResult(String.class)
					.getStatus()
					.value());
			}

			assertThat(statuses).filteredOn((status) -> status == 201).hasSize(3);
			assertThat(statuses).filteredOn((status) -> status == 503).hasSize(3);
			c.create(TEAM_A_KEY, REQUEST).expectBody().jsonPath("$.code").isEqualTo("upstream_busy");
			SERVER.verify(3, postRequestedFor(urlPathMatching(MODEL_PATH)));
		}
	}

	@Test
	void jobsOutliveTheReplicaThatCreatedThem() {
		created("p-restart");
		SERVER.stubFor(get(API + "/predictions/p-restart")
			.willReturn(okJson(prediction("p-restart", "succeeded", List.of("https://files.example/out.webp")))));
		a.create(TEAM_A_KEY, REQUEST).expectStatus().isCreated();
		awaitStatus(a, "p-restart", TEAM_A_KEY, "succeeded");

		a.close();
		a = Gateway.start(redis.url(), Map.of());
		SERVER.resetRequests();

		a.get(TEAM_A_KEY, "/images/p-restart")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("succeeded");
		b.get(TEAM_A_KEY, "/images/p-restart")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("succeeded");
		// a finished job is answered from the store, on any replica
		SERVER.verify(0, getRequestedFor(urlPathMatching(API + "/.*")));
	}

	@Test
	void aJobSurvivesARedisRestartThanksToItsAppendOnlyFile() {
		created("p-aof");
		a.create(TEAM_A_KEY, REQUEST).expectStatus().isCreated();

		redis.stop();
		restartRedis();

		SERVER.stubFor(get(API + "/predictions/p-aof").willReturn(okJson(prediction("p-aof", "processing", null))));
		b.get(TEAM_A_KEY, "/images/p-aof").expectStatus().isOk();
		b.get(TEAM_A_KEY, "/images").expectStatus().isOk().expectBody().jsonPath("$.items[0].id").isEqualTo("p-aof");
	}

	@Test
	void withRedisDownCreatesAreRefusedBeforeTheUpstreamAndWorkAgainWhenItIsBack() {
		created("p-before");
		SERVER.stubFor(get(API + "/predictions/p-before")
			.willReturn(okJson(prediction("p-before", "succeeded", List.of("https://files.example/out.webp")))));
		a.create(TEAM_A_KEY, REQUEST).expectStatus().isCreated();
		awaitStatus(a, "p-before", TEAM_A_KEY, "succeeded");
		SERVER.resetRequests();

		redis.stop();
		try {
			a.create(TEAM_A_KEY, REQUEST)
				.expectStatus()
				.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
				.expectHeader()
				.exists(HttpHeaders.RETRY_AFTER)
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo("store_unavailable");
			b.create(TEAM_A_KEY, REQUEST).expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			SERVER.verify(0, postRequestedFor(urlPathMatching(MODEL_PATH)));
			// the finished job replica A has seen is still answered, from its local cache
			a.get(TEAM_A_KEY, "/images/p-before")
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("succeeded");
			// a job no replica has cached cannot be answered
			b.get(TEAM_A_KEY, "/images/p-not-cached").expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			// health shows Redis down; neither probe depends on it, so no replica leaves
			// the load balancer
			a.web()
				.get()
				.uri("/actuator/health")
				.exchange()
				.expectBody()
				.jsonPath("$.components.redis.status")
				.isEqualTo("DOWN");
			a.web().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
			a.web().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		}
		finally {
			restartRedis();
		}

		created("p-after");
		a.create(TEAM_A_KEY, REQUEST).expectStatus().isCreated();
		b.create(TEAM_A_KEY, REQUEST).expectStatus().isCreated();
	}

	@Test
	void aReplicaStoppingAfterItsRedisIsGoneLogsNoDroppedError(CapturedOutput output) {
		Gateway late = Gateway.start(redis.url(), Map.of());
		redis.stop();
		try {
			// its subscription to the job notices ends, and with it an unsubscribe that
			// cannot reach Redis
			late.close();
			await().during(Duration.ofSeconds(1))
				.atMost(Duration.ofSeconds(3))
				.untilAsserted(() -> assertThat(output.getAll()).doesNotContain("onErrorDropped"));
		}
		finally {
			restartRedis();
		}
	}

	@Test
	void aPredictionTheStoreCannotRecordIsLoggedAndCounted(CapturedOutput output) {
		SERVER.stubFor(post(urlPathMatching(MODEL_PATH))
			.willReturn(okJson(prediction("p-unrecorded", "starting", null)).withStatus(201).withFixedDelay(2000)));
		try (Gateway patient = Gateway.start(redis.url(),
				Map.of("gateway.upstream.resilience.timeouts.create", "10s"))) {
			CompletableFuture<Integer> status = CompletableFuture.supplyAsync(
					() -> patient.create(TEAM_A_KEY, REQUEST).returnResult(String.class).getStatus().value(),
					CONCURRENTLY);
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> !SERVER.findAll(postRequestedFor(urlPathMatching(MODEL_PATH))).isEmpty());
			redis.stop();
			try {
				assertThat(status.join()).isEqualTo(503);
			}
			finally {
				restartRedis();
			}
			assertThat(patient.counter("gateway.jobs.unrecorded", "client", "team-a")).isEqualTo(1);
		}
		assertThat(output.getAll()).contains("ERROR").contains("Prediction p-unrecorded of client team-a");
	}

	@Test
	void sandboxJobsAndTheirImagesAreTheSameOnEveryReplica() {
		String id = UpstreamStub
			.json(new String(a.create(SANDBOX_KEY, """
					{"model": "black-forest-labs/flux-schnell", "prompt": "a harbour", "outputFormat": "png"}""")
				.expectStatus()
				.isCreated()
				.expectBody()
				.returnResult()
				.getResponseBodyContent()))
			.path("id")
			.asString();

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> b.get(SANDBOX_KEY, "/images/" + id)
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("succeeded"));
		String url = UpstreamStub
			.json(new String(b.get(SANDBOX_KEY, "/images/" + id).expectBody().returnResult().getResponseBodyContent()))
			.path("images")
			.path(0)
			.path("url")
			.asString();
		// stored once, in the storage both replicas share (here one directory, as a
		// shared volume would be)
		String path = java.net.URI.create(url).getPath();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> a.get(SANDBOX_KEY, path).expectStatus().isOk());
		byte[] fromA = a.get(SANDBOX_KEY, path)
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBodyContent();
		byte[] fromB = b.get(SANDBOX_KEY, path)
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBodyContent();
		assertThat(fromA).isNotEmpty().isEqualTo(fromB);
	}

	@Test
	void aJobIsTrackedByOneReplicaAtATimeAndTheOtherTakesItOverWhenThatOneStopsThenStoresItsImageOnce() {
		created("p-handover");
		SERVER.stubFor(
				get(API + "/predictions/p-handover").willReturn(okJson(prediction("p-handover", "processing", null))));
		// earlier tests' jobs, gone with the reset upstream, are given up first: the
		// replicas then track this one alone
		await().atMost(Duration.ofSeconds(10)).until(() -> tracked(a) + tracked(b) == 0);
		a.create(TEAM_A_KEY, REQUEST).expectStatus().isCreated();
		TrackerWatch watch = new TrackerWatch();
		await().atMost(Duration.ofSeconds(5)).until(() -> watch.tracking() == 1);
		boolean aTracks = tracked(a) == 1;
		Gateway survivor = aTracks ? b : a;

		(aTracks ? a : b).close();
		await().atMost(Duration.ofSeconds(5)).until(() -> tracked(survivor) == 1);
		byte[] png = java.util.Base64.getDecoder().decode(PNG_1X1);
		SERVER.stubFor(get("/files/handover.png").willReturn(aResponse().withBody(png)));
		ObjectNode succeeded = (ObjectNode) UpstreamStub
			.json(prediction("p-handover", "succeeded", List.of(SERVER.baseUrl() + "/files/handover.png")));
		succeeded.put("completed_at", java.time.Instant.now().toString());
		SERVER.stubFor(get(API + "/predictions/p-handover").willReturn(okJson(succeeded.toString())));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> survivor.get(TEAM_A_KEY, "/images/p-handover")
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("succeeded")
				.jsonPath("$.images[0].stored")
				.isEqualTo(true));
		await().atMost(Duration.ofSeconds(5)).until(() -> tracked(survivor) == 0);
		watch.stop();
		// finished and mirrored by the survivor alone: one download
		SERVER.verify(1, getRequestedFor(urlPathMatching("/files/handover.png")));
		assertThat(survivor.get(TEAM_A_KEY, "/images/p-handover/outputs/0")
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody()).isEqualTo(png);

		if (aTracks) {
			a = Gateway.start(redis.url(), Map.of());
		}
		else {
			b = Gateway.start(redis.url(), Map.of());
		}
		assertThat(watch.mostAtOnce()).as("replicas tracking the job at once").isEqualTo(1);
	}

	/**
	 * A replica that dies (here: a consumer that took the job and was never heard of
	 * again) has its job taken over after {@code takeover-after} (2 s in these replicas)
	 * and followed to the end by exactly one live replica.
	 */
	@Test
	void aDeadReplicasJobIsTakenOverAndFinishedByExactlyOneLiveReplica() {
		created("p-template");
		SERVER.stubFor(
				get(API + "/predictions/p-template").willReturn(okJson(prediction("p-template", "processing", null))));
		a.create(TEAM_A_KEY, REQUEST).expectStatus().isCreated();
		String job = redis.command((redis) -> redis.get("igw:job:p-template")).replace("p-template", "p-orphan");
		redis.command((redis) -> redis.set("igw:job:p-orphan", job));
		SERVER.stubFor(get(API + "/predictions/p-orphan")
			.willReturn(okJson(prediction("p-orphan", "succeeded", List.of("https://files.example/out.webp")))));
		long handedOver = System.nanoTime();
		redis.command((redis) -> redis
			.eval("""
					redis.pcall('XGROUP', 'CREATE', KEYS[1], 'trackers', '0', 'MKSTREAM')
					redis.call('XADD', KEYS[1], '*', 'job', 'p-orphan')
					return redis.call('XREADGROUP', 'GROUP', 'trackers', 'dead-replica', 'COUNT', 1000, 'STREAMS', KEYS[1], '>')""",
					io.lettuce.core.ScriptOutputType.MULTI, "igw:tracking"));

		awaitStatus(b, "p-orphan", TEAM_A_KEY, "succeeded");
		Duration takenOverIn = Duration.ofNanos(System.nanoTime() - handedOver);
		assertThat(takenOverIn).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
		SERVER.verify(1, getRequestedFor(urlPathMatching(API + "/predictions/p-orphan")));
		// the orphan's entry is gone; p-template's, still running, is pending at its live
		// replica
		await().atMost(Duration.ofSeconds(5))
			.until(() -> redis.<Long>command((redis) -> redis.xpending("igw:tracking", "trackers").getCount()) == 1L);
	}

	@Test
	void aRequestHeldOnOneReplicaAnswersWhenTheJobsTrackerRecordsItsEnd() {
		created("p-held");
		SERVER.stubFor(get(API + "/predictions/p-held").willReturn(okJson(prediction("p-held", "processing", null))));
		HttpHeaders sameKey = new HttpHeaders();
		sameKey.set("Idempotency-Key", "held-on-both");
		a.create(TEAM_A_KEY, REQUEST, sameKey).expectStatus().isCreated();
		sameKey.set("Prefer", "wait=20");
		CompletableFuture<String> held = CompletableFuture
			.supplyAsync(() -> new String(b.create(TEAM_A_KEY, REQUEST, sameKey)
				.expectStatus()
				.isCreated()
				.expectBody()
				.returnResult()
				.getResponseBodyContent()), CONCURRENTLY);
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !held.isDone());

		SERVER.stubFor(get(API + "/predictions/p-held")
			.willReturn(okJson(prediction("p-held", "succeeded", List.of("https://files.example/out.webp")))));
		long finished = System.nanoTime();
		assertThat(UpstreamStub.json(held.join()).path("status").asString()).isEqualTo("succeeded");
		// the tracker asks every 200 ms here; the store is read again only every 200 ms
		// too, so allow a few
		assertThat(Duration.ofNanos(System.nanoTime() - finished)).isLessThan(Duration.ofSeconds(2));
	}

	@Test
	void aJobsEventStreamOnEitherReplicaFollowsTheTrackerWhereverItRuns() {
		created("p-events");
		SERVER
			.stubFor(get(API + "/predictions/p-events").willReturn(okJson(prediction("p-events", "processing", null))));
		a.create(TEAM_A_KEY, REQUEST).expectStatus().isCreated();
		awaitStatus(b, "p-events", TEAM_A_KEY, "processing");
		// one replica tracks the job: the other's stream hears of its changes through
		// Redis
		Flux<ServerSentEvent<String>> onA = statuses(a);
		Flux<ServerSentEvent<String>> onB = statuses(b);
		CompletableFuture<List<ServerSentEvent<String>>> seenOnA = onA.collectList().toFuture();
		CompletableFuture<List<ServerSentEvent<String>>> seenOnB = onB.collectList().toFuture();
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(2))
			.until(() -> !seenOnA.isDone() && !seenOnB.isDone());

		SERVER.stubFor(get(API + "/predictions/p-events")
			.willReturn(okJson(prediction("p-events", "succeeded", List.of("https://files.example/gone.webp")))));

		for (CompletableFuture<List<ServerSentEvent<String>>> seen : List.of(seenOnA, seenOnB)) {
			List<ServerSentEvent<String>> events = seen.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
			assertThat(events).extracting(ServerSentEvent::id).containsExactly("2", "3");
			assertThat(UpstreamStub.json(events.getLast().data()).path("status").asString()).isEqualTo("succeeded");
		}
	}

	@Test
	void aPendingWebhookDeliveryIsMadeByTheOtherReplicaAfterTheOneTryingItStops() {
		WireMockServer receiver = new WireMockServer(
				com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig()
					.dynamicPort()
					.bindAddress("127.0.0.1"));
		receiver.start();
		try {
			receiver.stubFor(post(urlEqualTo("/hooks/handover")).willReturn(aResponse().withStatus(503)));
			created("p-hook");
			SERVER.stubFor(get(API + "/predictions/p-hook").willReturn(okJson(prediction("p-hook", "failed", null))));
			a.create(TEAM_A_KEY,
					"{\"model\": \"black-forest-labs/flux-schnell\", \"prompt\": \"a lighthouse\", "
							+ "\"webhook\": \"http://127.0.0.1:" + receiver.port() + "/hooks/handover\"}")
				.expectStatus()
				.isCreated();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> !receiver.findAll(postRequestedFor(urlEqualTo("/hooks/handover"))).isEmpty()
						&& a.gauge("gateway.webhooks.pending") + b.gauge("gateway.webhooks.pending") == 1);
			boolean aDelivers = a.gauge("gateway.webhooks.pending") == 1;
			Gateway survivor = aDelivers ? b : a;

			(aDelivers ? a : b).close();
			receiver.stubFor(post(urlEqualTo("/hooks/handover")).willReturn(aResponse().withStatus(200)));

			await().atMost(Duration.ofSeconds(15))
				.untilAsserted(() -> survivor.get(TEAM_A_KEY, "/images/p-hook")
					.expectStatus()
					.isOk()
					.expectBody()
					.jsonPath("$.webhook.deliveries[0].status")
					.isEqualTo("delivered"));
			assertThat(receiver.findAll(postRequestedFor(urlEqualTo("/hooks/handover"))))
				.extracting((attempt) -> attempt.getHeader("webhook-id"))
				.containsOnly("igw_p-hook_completed");
			assertThat(survivor.counter("gateway.webhooks.deliveries", "outcome", "delivered")).isEqualTo(1);
			if (aDelivers) {
				a = Gateway.start(redis.url(), Map.of());
			}
			else {
				b = Gateway.start(redis.url(), Map.of());
			}
		}
		finally {
			receiver.stop();
		}
	}

	private static Flux<ServerSentEvent<String>> statuses(Gateway replica) {
		return replica.web()
			.get()
			.uri("/images/p-events/events")
			.headers((h) -> h.setBearerAuth(TEAM_A_KEY))
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.getResponseBody()
			.filter((event) -> event.data() != null);
	}

	private static void awaitStatus(Gateway replica, String id, String key, String status) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> replica.get(key, "/images/" + id)
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo(status));
	}

	private static double tracked(Gateway replica) {
		return replica.gauge("gateway.tracking.jobs");
	}

	/** Samples how many replicas track jobs at once, in the background, until stopped. */
	private static final class TrackerWatch {

		private final java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();

		private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(
				true);

		private final CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> {
			while (this.running.get()) {
				this.most.accumulateAndGet(tracking(), Math::max);
				java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
			}
		}, CONCURRENTLY);

		int tracking() {
			int sum = 0;
			for (Gateway replica : List.of(a, b)) {
				try {
					sum += (int) tracked(replica);
				}
				catch (RuntimeException closed) {
					// a replica being stopped has no registry to read
				}
			}
			return sum;
		}

		int mostAtOnce() {
			return this.most.get();
		}

		void stop() {
			this.running.set(false);
			this.sampler.join();
		}

	}

	/**
	 * Starts Redis again and waits until both replicas have reconnected (Lettuce retries
	 * within 2 s).
	 */
	private static void restartRedis() {
		redis.startAgain();
		for (Gateway replica : List.of(a, b)) {
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> replica.get(TEAM_C_KEY, "/images").expectStatus().isOk());
		}
	}

	private static void created(String id) {
		SERVER.stubFor(
				post(urlPathMatching(MODEL_PATH)).willReturn(okJson(prediction(id, "starting", null)).withStatus(201)));
	}

}
