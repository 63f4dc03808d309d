package com.imagegateway.upstream;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.imagegateway.GatewayIntegrationTest;
import com.imagegateway.ImageGatewayApplication;
import com.imagegateway.UpstreamStub;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.imagegateway.Concurrently.CONCURRENTLY;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;

/** Gateways of their own with small bulkheads. */
class UpstreamBulkheadTest {

	@Test
	void everyCallTheBulkheadAdmitsGetsAnUpstreamConnectionAtOnce() {
		int calls = 48;
		SERVER.resetAll();
		SERVER.stubFor(post(urlPathMatching(API + "/models/.+"))
			.willReturn(okJson(prediction("slow-create", "starting", null)).withFixedDelay(1000)));
		try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(ImageGatewayApplication.class)
			.profiles("test")
			.run("--server.port=0", "--gateway.upstream.base-url=" + UpstreamStub.baseUrl(),
					"--gateway.upstream.resilience.bulkhead.max-concurrent-calls=" + calls,
					"--gateway.upstream.resilience.timeouts.create=3s")) {
			WebTestClient web = client(gateway);

			List<Integer> statuses = IntStream.range(0, calls)
				.mapToObj((i) -> CompletableFuture.supplyAsync(() -> create(web), CONCURRENTLY))
				.toList()
				.stream()
				.map(CompletableFuture::join)
				.toList();

			assertThat(statuses).hasSize(calls).containsOnly(201);
			// each key's bulkhead is its share of the pool, not Reactor Netty's default
			// of 16 connections
			assertThat(gateway.getBean(ReactorResourceFactory.class).getConnectionProvider().maxConnections())
				.isEqualTo(calls * gateway.getBean(UpstreamProperties.class).keys().size());
		}
	}

	@Test
	void callsBeyondTheBulkheadAreTurnedAwayWithoutReachingTheUpstream() {
		SERVER.resetAll();
		SERVER.stubFor(post(urlPathMatching(API + "/models/.+"))
			.willReturn(okJson(prediction("slow-create", "starting", null)).withFixedDelay(1500)));
		try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(ImageGatewayApplication.class)
			.profiles("test")
			.run("--server.port=0", "--gateway.upstream.base-url=" + UpstreamStub.baseUrl(),
					"--gateway.upstream.resilience.bulkhead.max-concurrent-calls=1",
					"--gateway.upstream.resilience.timeouts.create=5s")) {
			WebTestClient web = client(gateway);

			List<Integer> statuses = IntStream.range(0, 3)
				.mapToObj((i) -> CompletableFuture.supplyAsync(() -> create(web), CONCURRENTLY))
				.toList()
				.stream()
				.map(CompletableFuture::join)
				.toList();

			assertThat(statuses).containsOnlyOnce(201).contains(503);
			SERVER.verify(1, postRequestedFor(urlPathMatching(API + "/models/.+")));
		}
	}

	private static WebTestClient client(ConfigurableApplicationContext gateway) {
		return WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + gateway.getEnvironment().getRequiredProperty("local.server.port"))
			.responseTimeout(Duration.ofSeconds(10))
			.build();
	}

	private static int create(WebTestClient web) {
		return web.post()
			.uri("/images")
			.headers((headers) -> headers.setBearerAuth(GatewayIntegrationTest.TEAM_A_KEY))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\": \"a/b\", \"prompt\": \"x\"}")
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getStatus()
			.value();
	}

}
