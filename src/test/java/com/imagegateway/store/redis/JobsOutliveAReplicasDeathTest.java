package com.imagegateway.store.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import com.imagegateway.ImageGatewayApplication;
import com.imagegateway.UpstreamStub;
import com.imagegateway.images.Job;
import com.imagegateway.images.JobStore;
import com.imagegateway.images.TrackingQueue;
import com.imagegateway.queue.WorkQueue;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.imagegateway.GatewayIntegrationTest.TEAM_A_KEY;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A replica that dies while it creates jobs leaves no job behind: whatever it recorded is
 * followed to its end by a replica still alive, its images stored and its webhook called,
 * whether it died right after recording a job (a fault injected in its store) or was
 * killed with {@code SIGKILL} in the middle of a burst of creates (a replica in a process
 * of its own). A running job that no tracker follows all the same is found by the
 * retention sweep's safety net and followed.
 */
@Testcontainers(disabledWithoutDocker = true)
class JobsOutliveAReplicasDeathTest {

	private static final String MODEL_PATH = API + "/models/.+/.+/predictions";

	private static final byte[] PNG_1X1 = Base64.getDecoder()
		.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

	/**
	 * The replicas run with the shipped timeouts and circuit, not the test profile's,
	 * which are small for the circuit's own tests (500 ms, a window of four calls): in a
	 * burst of 240 creates on a busy machine, two slow answers of the stub opened both
	 * replicas' circuits, every later create was refused {@code upstream_unavailable},
	 * and the replica to kill never answered the 40 creates it is killed after (CI,
	 * once).
	 */
	private static final Map<String, String> PATIENT = Map.of("gateway.upstream.resilience.timeouts.create", "15s",
			"gateway.upstream.resilience.timeouts.read", "5s",
			"gateway.upstream.resilience.circuit-breaker.sliding-window-size", "20",
			"gateway.upstream.resilience.circuit-breaker.minimum-number-of-calls", "10");

	/** The survivor also sweeps every second, so that the safety net's test is short. */
	private static final Map<String, String> SWEEPING = with(PATIENT, "gateway.storage.sweep-interval", "1s");

	private static RedisContainer redis;

	private static WireMockServer receiver;

	private static Gateway survivor;

	@BeforeAll
	static void startRedisTheReceiverAndASurvivingReplica() {
		redis = new RedisContainer().start();
		receiver = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
		receiver.start();
		survivor = Gateway.start(redis.url(), SWEEPING);
	}

	@AfterAll
	static void stopAll() {
		Gateway.closeAll(survivor, receiver::stop, redis);
	}

	@BeforeEach
	void cleanSlate() {
		SERVER.resetAll();
		receiver.resetAll();
		redis.flushAll();
		// every create gets a new prediction, which succeeds at its first read with one
		// PNG
		SERVER.stubFor(post(urlPathMatching(MODEL_PATH)).willReturn(aResponse().withStatus(201)
			.withHeader("Content-Type", "application/json")
			// created now: the survivor's retention sweep, every second, leaves the
			// stub's old jobs no images
			.withBody(prediction("{{randomValue length=20 type='ALPHANUMERIC' lowercase=true}}", "starting", null,
					"{{now}}"))
			.withTransformers("response-template")));
		SERVER.stubFor(get(urlPathMatching(API + "/predictions/[a-z0-9]+"))
			.willReturn(aResponse().withHeader("Content-Type", "application/json")
				.withBody(((ObjectNode) UpstreamStub.json(prediction("{{request.pathSegments.[3]}}", "succeeded",
						List.of(SERVER.baseUrl() + "/files/out.png"), "{{now}}")))
					.put("completed_at", "{{now}}")
					.toString())
				.withTransformers("response-template")));
		SERVER.stubFor(get("/files/out.png")
			.willReturn(aResponse().withHeader("Content-Type", "image/png").withBody(PNG_1X1)));
		receiver.stubFor(post(urlPathMatching("/hooks/.+")).willReturn(aResponse().withStatus(204)));
	}

	@Test
	void aJobRecordedByAReplicaThatDiesAtOnceAfterIsFollowedToItsEndByAnother() {
		Gateway doomed = Gateway.start(redis.url(), PATIENT,
				(context) -> context.getBeanFactory().addBeanPostProcessor(new DiesAfterRecordingAJob()));
		try {
			doomed.create(TEAM_A_KEY, request("doomed")).expectStatus().is5xxServerError();
		}
		finally {
			doomed.close();
		}

		List<String> recorded = recordedJobs();
		assertThat(recorded).hasSize(1);
		awaitFollowedToItsEnd(recorded);
	}

	@Test
	void aRunningJobThatNoTrackerFollowsIsFoundByTheSweepAndFollowedToItsEnd() {
		String created = new String(survivor.create(TEAM_A_KEY, request("template"))
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseBodyContent());
		awaitFollowedToItsEnd(List.of(UpstreamStub.json(created).path("id").asString()));
		// what a replica of the version before left when it died between its two writes:
		// the job,
		// running, and no entry in the trackers' queue
		String id = UpstreamStub.json(created).path("id").asString();
		ObjectNode orphan = (ObjectNode) UpstreamStub
			.json(redis.command((commands) -> commands.get("igw:job:" + id)).substring(1));
		orphan.put("id", "orphanjob").put("status", "starting").putNull("copies").putNull("completedAt");
		orphan.putArray("outputUrls");
		redis.command((commands) -> commands.eval("""
				redis.call('SET', KEYS[1], ARGV[1])
				redis.call('ZADD', KEYS[2], 0, 'orphanjob')
				return redis.call('ZADD', KEYS[3], 0, 'orphanjob')""", io.lettuce.core.ScriptOutputType.INTEGER,
				new String[] { "igw:job:orphanjob", "igw:unsettled", "igw:client:team-a:jobs" }, "R" + orphan));

		awaitFollowedToItsEnd(List.of("orphanjob"));
		assertThat(survivor.counter("gateway.tracking.unfollowed")).isEqualTo(1);
	}

	@Test
	void everyJobRecordedByAReplicaKilledDuringABurstOfCreatesIsFollowedToItsEnd() throws Exception {
		int port = freePort();
		Path log = Files.createTempFile("killed-replica", ".log");
		Process killed = replicaInItsOwnProcess(port, log);
		try {
			WebClient toKilled = WebClient.create("http://127.0.0.1:" + port);
			WebClient toSurvivor = WebClient.create("http://127.0.0.1:" + survivor.port());
			await().atMost(Duration.ofMinutes(2))
				.ignoreExceptions()
				.until(() -> toKilled.get()
					.uri("/actuator/health/readiness")
					.retrieve()
					.toBodilessEntity()
					.block(Duration.ofSeconds(5))
					.getStatusCode()
					.is2xxSuccessful());
			AtomicInteger answeredByKilled = new AtomicInteger();
			Set<String> answered = ConcurrentHashMap.newKeySet();
			Map<String, Integer> refused = new ConcurrentHashMap<>();

			Flux.range(0, 240).flatMap((i) -> {
				boolean onKilled = i % 2 == 0;
				if (onKilled && answeredByKilled.get() >= 40 && killed.isAlive()) {
					killed.destroyForcibly(); // SIGKILL: no shutdown hook, no hand-over,
												// creates cut mid-way
				}
				return create(onKilled ? toKilled : toSurvivor, i).doOnNext((id) -> {
					answered.add(id);
					if (onKilled) {
						answeredByKilled.incrementAndGet();
					}
				}).onErrorResume((failure) -> {
					refused.merge((onKilled ? "killed " : "survivor ") + failure.getClass().getSimpleName() + " "
							+ failure.getMessage(), 1, Integer::sum);
					return Mono.empty();
				});
			}, 16).blockLast(Duration.ofMinutes(2));
			assertThat(killed.waitFor(10, TimeUnit.SECONDS))
				.as("the replica is killed once it has answered 40 creates: it answered %d; not answered: %s; "
						+ "its log ends with: %s", answeredByKilled.get(), refused, lastLines(log, 40))
				.isTrue();

			List<String> recorded = recordedJobs();
			int paidFor = SERVER
				.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathMatching(MODEL_PATH)))
				.size();
			System.out.printf(
					"replica killed: %d creates answered by it, %d in all; %d jobs recorded, %d predictions "
							+ "created upstream; not answered: %s%n",
					answeredByKilled.get(), answered.size(), recorded.size(), paidFor, refused);
			assertThat(answeredByKilled.get()).isGreaterThanOrEqualTo(40);
			assertThat(recorded).containsAll(answered);
			awaitFollowedToItsEnd(recorded);
		}
		finally {
			killed.destroyForcibly();
			Files.deleteIfExists(log);
		}
	}

	/**
	 * Every job in the list has succeeded, its image is stored, and its webhook was
	 * called once.
	 */
	private static void awaitFollowedToItsEnd(List<String> ids) {
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			for (String id : ids) {
				JsonNode job = UpstreamStub.json(new String(survivor.get(TEAM_A_KEY, "/images/" + id)
					.expectStatus()
					.isOk()
					.expectBody()
					.returnResult()
					.getResponseBodyContent()));
				assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("succeeded");
				assertThat(job.path("images").path(0).path("stored").asBoolean()).as(job.toString()).isTrue();
				assertThat(job.path("webhook").path("deliveries").path(0).path("status").asString()).as(job.toString())
					.isEqualTo("delivered");
			}
		});
		// at least once: a replica killed after sending one and before recording it,
		// another sends it again
		List<String> called = receiver.findAll(postRequestedFor(urlPathMatching("/hooks/.+")))
			.stream()
			.map((delivery) -> delivery.getHeader("webhook-id"))
			.toList();
		for (String id : ids) {
			assertThat(called).as(id).contains("igw_" + id + "_completed");
		}
	}

	/** The ids of the client's jobs, from the listing: what the replicas recorded. */
	private static List<String> recordedJobs() {
		List<String> ids = new ArrayList<>();
		@Nullable String cursor = null;
		do {
			JsonNode page = UpstreamStub.json(new String(
					survivor.get(TEAM_A_KEY, "/images?limit=100" + ((cursor != null) ? "&cursor=" + cursor : ""))
						.expectStatus()
						.isOk()
						.expectBody()
						.returnResult()
						.getResponseBodyContent()));
			page.path("items").forEach((job) -> ids.add(job.path("id").asString()));
			cursor = page.path("nextCursor").isString() ? page.path("nextCursor").asString() : null;
		}
		while (cursor != null);
		return ids;
	}

	private static Mono<String> create(WebClient replica, int i) {
		return replica.post()
			.uri("/images")
			.headers((headers) -> headers.setBearerAuth(TEAM_A_KEY))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(request("burst-" + i))
			.retrieve()
			// the problem's code, not only the status, in the tally of what was not
			// answered
			.onStatus(HttpStatusCode::isError,
					(response) -> response.bodyToMono(JsonNode.class)
						.map((problem) -> new IllegalStateException(
								response.statusCode().value() + " " + problem.path("code").asString())))
			.bodyToMono(JsonNode.class)
			.map((job) -> job.path("id").asString())
			.timeout(Duration.ofSeconds(20));
	}

	private static String request(String name) {
		return "{\"model\": \"black-forest-labs/flux-schnell\", \"prompt\": \"" + name
				+ "\", \"webhook\": \"http://127.0.0.1:" + receiver.port() + "/hooks/" + name
				+ "\", \"webhookEvents\": [\"completed\"]}";
	}

	/**
	 * A whole replica in a JVM of its own, on this test's class path, that
	 * {@code SIGKILL} can end.
	 */
	private static Process replicaInItsOwnProcess(int port, Path log) throws IOException {
		List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
				"-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				ImageGatewayApplication.class.getName(), "--spring.profiles.active=test"));
		command.addAll(Gateway.arguments(redis.url(), PATIENT, port));
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	private static Map<String, String> with(Map<String, String> settings, String name, String value) {
		Map<String, String> all = new java.util.HashMap<>(settings);
		all.put(name, value);
		return Map.copyOf(all);
	}

	private static String lastLines(Path log, int count) {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
		}
		catch (IOException ex) {
			return "(unreadable: " + ex.getMessage() + ")";
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The fault: the replica's store records a job, then the replica is gone before it
	 * writes or answers anything else, and it follows no job (its tracker died with it).
	 */
	private static final class DiesAfterRecordingAJob implements BeanPostProcessor {

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (bean instanceof JobStore store) {
				return new DyingStore(store);
			}
			if (bean instanceof TrackingQueue) {
				return new TrackingQueue(new DeadQueue());
			}
			return bean;
		}

	}

	private record DyingStore(JobStore store) implements JobStore {

		@Override
		public Mono<Saved> add(Job created) {
			return this.store.add(created).then(Mono.error(new IllegalStateException("the replica died here")));
		}

		@Override
		public Flux<String> queueUnfollowed() {
			return Flux.empty();
		}

		@Override
		public Mono<Saved> save(Job job) {
			return Mono.never();
		}

		@Override
		public Mono<Job> find(String id) {
			return this.store.find(id);
		}

		@Override
		public Flux<Job> keptBefore(java.time.Instant cutoff, int limit) {
			return Flux.empty();
		}

		@Override
		public Mono<Boolean> claimSweep(Duration hold) {
			return Mono.just(false);
		}

		@Override
		public Mono<JobPage> list(String client, com.imagegateway.images.@Nullable JobStatus status,
				com.imagegateway.images.@Nullable JobCursor after, int limit) {
			return this.store.list(client, status, after, limit);
		}

	}

	private static final class DeadQueue implements WorkQueue {

		@Override
		public Mono<Void> add(String jobId) {
			return Mono.never();
		}

		@Override
		public Flux<Assignment> assignments() {
			return Flux.never();
		}

		@Override
		public Mono<Void> done(String jobId) {
			return Mono.never();
		}

		@Override
		public Mono<Void> release() {
			return Mono.empty();
		}

	}

}
