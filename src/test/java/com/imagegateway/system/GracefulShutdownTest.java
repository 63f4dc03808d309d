package com.imagegateway.system;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.imagegateway.GatewayIntegrationTest;
import com.imagegateway.ImageGatewayApplication;
import com.imagegateway.UpstreamStub;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gateway of its own, so that this test can shut it down under a held request and an
 * open stream.
 */
class GracefulShutdownTest {

	@Test
	void heldRequestsAndEventStreamsEndWithTheJobAsItStandsWhenTheGatewayShutsDown() throws Exception {
		SERVER.resetAll();
		SERVER.stubFor(
				post(urlPathMatching(API + "/models/.+")).willReturn(okJson(prediction("held1", "starting", null))));
		SERVER.stubFor(get(API + "/predictions/held1").willReturn(okJson(prediction("held1", "processing", null))));
		ConfigurableApplicationContext gateway = new SpringApplicationBuilder(ImageGatewayApplication.class)
			.profiles("test")
			.run("--server.port=0", "--gateway.upstream.base-url=" + UpstreamStub.baseUrl());
		int port = gateway.getEnvironment().getRequiredProperty("local.server.port", Integer.class);

		CompletableFuture<ResponseEntity<String>> held = WebClient.create("http://localhost:" + port)
			.post()
			.uri("/images")
			.headers((headers) -> headers.setBearerAuth(GatewayIntegrationTest.TEAM_A_KEY))
			.header("Prefer", "wait=60")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\": \"a/b\", \"prompt\": \"x\"}")
			.retrieve()
			.toEntity(String.class)
			.toFuture();
		// polls follow one another: a second one means the first one's answer is the
		// job's state
		await().atMost(Duration.ofSeconds(10))
			.until(() -> SERVER
				.countRequestsMatching(getRequestedFor(urlPathMatching(API + "/predictions/held1")).build())
				.getCount() > 1);

		// an open event stream ends too, so that its caller resumes it (Last-Event-ID) on
		// another replica
		List<ServerSentEvent<String>> events = new CopyOnWriteArrayList<>();
		CompletableFuture<Void> stream = WebClient.create("http://localhost:" + port)
			.get()
			.uri("/images/held1/events")
			.headers((headers) -> headers.setBearerAuth(GatewayIntegrationTest.TEAM_A_KEY))
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.filter((event) -> event.data() != null)
			.doOnNext(events::add)
			.then()
			.toFuture();
		await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());

		CompletableFuture.runAsync(gateway::close);
		ResponseEntity<String> answer = held.get(20, TimeUnit.SECONDS);
		stream.get(20, TimeUnit.SECONDS);
		assertThat(events).extracting(ServerSentEvent::id).containsExactly("2");

		assertThat(answer.getStatusCode().value()).isEqualTo(201);
		assertThat(answer.getHeaders().getFirst("Preference-Applied")).isEqualTo("wait=60");
		assertThat(answer.getBody()).contains("\"status\":\"processing\"");
		await().atMost(Duration.ofSeconds(20)).until(() -> !gateway.isActive());
	}

}
