package com.imagegateway.images;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import com.imagegateway.GatewayIntegrationTest;
import com.imagegateway.UpstreamStub;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;
import static com.imagegateway.images.UpstreamStubs.created;
import static com.imagegateway.images.UpstreamStubs.readsInTurn;
import static com.imagegateway.images.UpstreamStubs.simpleRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /images/{id}/events}: a job's status changes as Server-Sent Events, from the
 * store the tracker keeps current (the test profile's heartbeat is 300 ms).
 */
class EventStreamTest extends GatewayIntegrationTest {

	private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENTS = new ParameterizedTypeReference<>() {
	};

	private static final String OUTPUT = "https://replicate.delivery/x/out-0.webp";

	@LocalServerPort
	int port;

	@Test
	void streamsEachStatusInOrderAndEndsWithTheFinishedJob() {
		created("events-order");
		String starting = prediction("events-order", "starting", null);
		String processing = prediction("events-order", "processing", null);
		readsInTurn("events-order", starting, starting, starting, starting, processing, processing, processing,
				prediction("events-order", "succeeded", List.of(OUTPUT)));
		createWith(TEAM_A_KEY, simpleRequest()).expectStatus().isCreated();

		List<ServerSentEvent<String>> events = statuses(stream(TEAM_A_KEY, "events-order", null)).collectList()
			.block(Duration.ofSeconds(10));

		assertThat(events).extracting(ServerSentEvent::id).containsExactly("1", "2", "3");
		assertThat(events).extracting(ServerSentEvent::event).containsOnly("status");
		assertThat(events).extracting((event) -> json(event).path("status").asString())
			.containsExactly("starting", "processing", "succeeded");
		JsonNode finished = json(events.getLast());
		assertThat(finished.path("id").asString()).isEqualTo("events-order");
		// the job as GET /images/{id} shows it once settled: its outputs stored or, as
		// here, given up on
		assertThat(finished).isEqualTo(UpstreamStub.json(getWith(TEAM_A_KEY, "/images/events-order").exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody()));
		assertThat(finished.path("images").get(0).path("url").asString()).isEqualTo(OUTPUT);
	}

	@Test
	void aResumedStreamRepeatsNothingAndKeepsAQuietStreamOpenWithHeartbeats() {
		created("events-resume");
		SERVER.stubFor(get(API + "/predictions/events-resume")
			.willReturn(okJson(prediction("events-resume", "processing", null))));
		createWith(TEAM_A_KEY, simpleRequest()).expectStatus().isCreated();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> getWith(TEAM_A_KEY, "/images/events-resume").exchange()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("processing"));

		StepVerifier.create(stream(TEAM_A_KEY, "events-resume", "2"))
			.expectNextMatches(EventStreamTest::isHeartbeat)
			.then(() -> SERVER.stubFor(get(API + "/predictions/events-resume")
				.willReturn(okJson(prediction("events-resume", "failed", null)))))
			.thenConsumeWhile(EventStreamTest::isHeartbeat)
			.assertNext((event) -> {
				assertThat(event.id()).isEqualTo("3");
				assertThat(json(event).path("status").asString()).isEqualTo("failed");
			})
			.expectComplete()
			.verify(Duration.ofSeconds(10));

		// resumed after the last event of a finished job: nothing more to say
		StepVerifier.create(stream(TEAM_A_KEY, "events-resume", "3")).expectComplete().verify(Duration.ofSeconds(5));
	}

	@Test
	void aFinishedJobsStreamIsItsLastStateThenTheEnd() {
		created("events-done", "succeeded");
		createWith(TEAM_A_KEY, simpleRequest()).expectStatus().isCreated();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> getWith(TEAM_A_KEY, "/images/events-done").exchange()
				.expectHeader()
				.exists(HttpHeaders.ETAG));

		StepVerifier.create(statuses(stream(TEAM_A_KEY, "events-done", null)))
			.assertNext((event) -> assertThat(event.id()).isEqualTo("3"))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void anotherClientsKeyGetsNotFoundAndABadLastEventIdIsRefused() {
		created("events-owned");
		SERVER.stubFor(get(API + "/predictions/events-owned")
			.willReturn(okJson(prediction("events-owned", "processing", null))));
		createWith(TEAM_A_KEY, simpleRequest()).expectStatus().isCreated();

		getWith(TEAM_B_KEY, "/images/events-owned/events").accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("not_found");
		getWith(TEAM_A_KEY, "/images/events-owned/events").accept(MediaType.TEXT_EVENT_STREAM)
			.header("Last-Event-ID", "two")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("validation_failed")
			.jsonPath("$.errors[0].field")
			.isEqualTo("Last-Event-ID");
	}

	@Test
	void aThousandOpenStreamsHoldNoThreadEachAndCostNoUpstreamReads() {
		created("events-many");
		SERVER.stubFor(get(API + "/predictions/events-many")
			.willReturn(okJson(prediction("events-many", "processing", null))));
		createWith(TEAM_A_KEY, simpleRequest()).expectStatus().isCreated();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> getWith(TEAM_A_KEY, "/images/events-many").exchange()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("processing"));
		// a connection each, no pool: a thousand streams open at once
		WebClient client = WebClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.clientConnector(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())))
			.defaultHeaders((headers) -> headers.setBearerAuth(TEAM_A_KEY))
			.build();
		client.get().uri("/images/events-many").retrieve().toBodilessEntity().block(Duration.ofSeconds(5));
		int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
		int readsBefore = SERVER.findAll(getRequestedFor(urlEqualTo(API + "/predictions/events-many"))).size();
		AtomicInteger opened = new AtomicInteger();
		ConcurrentLinkedQueue<String> last = new ConcurrentLinkedQueue<>();
		List<Disposable> streams = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			AtomicInteger seen = new AtomicInteger();
			streams.add(statuses(client.get()
				.uri("/images/events-many/events")
				.accept(MediaType.TEXT_EVENT_STREAM)
				.retrieve()
				.bodyToFlux(EVENTS)).subscribe((event) -> {
					if (seen.getAndIncrement() == 0) {
						opened.incrementAndGet();
					}
					if ("3".equals(event.id())) {
						last.add(json(event).path("status").asString());
					}
				}));
		}
		try {
			await().atMost(Duration.ofSeconds(60)).untilAtomic(opened, org.hamcrest.Matchers.equalTo(1000));
			int threadsOpen = ManagementFactory.getThreadMXBean().getThreadCount();
			assertThat(threadsOpen - threadsBefore).as("threads added by 1,000 open streams").isLessThan(20);
			// the streams read the store: the upstream is asked by the tracker alone, at
			// its own pace
			int upstreamReads = SERVER.findAll(getRequestedFor(urlEqualTo(API + "/predictions/events-many"))).size()
					- readsBefore;
			assertThat(upstreamReads).isLessThan(100);

			SERVER.stubFor(get(API + "/predictions/events-many")
				.willReturn(okJson(prediction("events-many", "canceled", null))));
			await().atMost(Duration.ofSeconds(60)).until(() -> last.size() == 1000);
			assertThat(last).containsOnly("canceled");
			await().atMost(Duration.ofSeconds(10)).until(() -> streams.stream().allMatch(Disposable::isDisposed));
		}
		finally {
			streams.forEach(Disposable::dispose);
		}
	}

	private Flux<ServerSentEvent<String>> stream(String key, String id, String lastEventId) {
		return this.web.get().uri("/images/{id}/events", id).headers((headers) -> {
			headers.setBearerAuth(key);
			if (lastEventId != null) {
				headers.set("Last-Event-ID", lastEventId);
			}
		})
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
			.returnResult(EVENTS)
			.getResponseBody();
	}

	private static Flux<ServerSentEvent<String>> statuses(Flux<ServerSentEvent<String>> events) {
		return events.filter((event) -> !isHeartbeat(event));
	}

	private static boolean isHeartbeat(ServerSentEvent<String> event) {
		return event.event() == null && event.data() == null && event.comment() != null;
	}

	private static JsonNode json(ServerSentEvent<String> event) {
		return UpstreamStub.json(event.data());
	}

}
