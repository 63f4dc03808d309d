package com.imagegateway.store.redis;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import com.imagegateway.Concurrently;
import com.imagegateway.MutableClock;
import com.imagegateway.UpstreamStub;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static com.imagegateway.GatewayIntegrationTest.ADMIN_KEY;
import static com.imagegateway.GatewayIntegrationTest.BUDGET_KEY;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A budget holds across replicas: two replicas on one real Redis, one client whose daily
 * budget holds ten one-image jobs, fifty creates at once. Exactly ten reach the upstream,
 * the others are refused with {@code budget_exhausted} before anything is sent, and once
 * the jobs finish the usage equals the sum of their costs to the micro-unit. Both
 * replicas share one clock the test moves, so the day's end is the test's, not the
 * machine's.
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(OutputCaptureExtension.class)
class BudgetAcrossReplicasTest {

	private static final String REQUEST = """
			{"model": "black-forest-labs/flux-schnell", "prompt": "a lighthouse at dawn"}""";

	/**
	 * The default create timeout's order rather than the test profile's 500 ms, which is
	 * there for the timeout tests: fifty creates at once on a cold replica can take
	 * longer, and a create that timed out keeps its reservation (it may have started a
	 * job).
	 */
	private static final Map<String, String> SETTINGS = Map.of("gateway.upstream.resilience.timeouts.create", "5s");

	private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));

	private static RedisContainer redis;

	private static Gateway a;

	private static Gateway b;

	@BeforeAll
	static void startRedisAndTwoReplicas() {
		redis = new RedisContainer().start();
		a = Gateway.start(redis.url(), SETTINGS, onClock(CLOCK));
		b = Gateway.start(redis.url(), SETTINGS, onClock(CLOCK));
	}

	@AfterAll
	static void stopAll() {
		Gateway.closeAll(a, b, redis);
	}

	@Test
	void fiftyCreatesAtOnceOnTwoReplicasStartExactlyWhatTheBudgetHolds(CapturedOutput output) {
		SERVER.resetAll();
		SERVER.stubFor(post(urlPathMatching(API + "/models/.+/.+/predictions")).willReturn(aResponse().withStatus(201)
			.withHeader("Content-Type", "application/json")
			.withBody(prediction("{{randomValue length=20 type='ALPHANUMERIC' lowercase=true}}", "starting", null,
					"{{now}}"))
			.withTransformers("response-template")));
		SERVER.stubFor(get(urlPathMatching(API + "/predictions/[a-z0-9]+")).inScenario("budget")
			.whenScenarioStateIs(STARTED)
			.willReturn(templated(prediction("{{request.pathSegments.[3]}}", "processing", null, "{{now}}"))));
		ObjectNode succeeded = (ObjectNode) UpstreamStub.json(prediction("{{request.pathSegments.[3]}}", "succeeded",
				List.of(SERVER.baseUrl() + "/files/{{request.pathSegments.[3]}}.png"), "{{now}}"));
		succeeded.put("completed_at", "{{now}}");
		SERVER.stubFor(get(urlPathMatching(API + "/predictions/[a-z0-9]+")).inScenario("budget")
			.whenScenarioStateIs("ended")
			.willReturn(templated(succeeded.toString())));
		// not an image: the outputs are settled at once, not stored
		SERVER.stubFor(get(urlPathMatching("/files/.+")).willReturn(aResponse().withBody("not an image")));
		List<Gateway> replicas = List.of(a, b);
		AtomicInteger next = new AtomicInteger();

		List<EntityExchangeResult<String>> answers = Concurrently.run(50,
				() -> replicas.get(next.getAndIncrement() % 2)
					.create(BUDGET_KEY, REQUEST)
					.expectBody(String.class)
					.returnResult());

		assertThat(answers)
			.as(answers.stream()
				.map((answer) -> answer.getStatus() + " " + answer.getResponseBody())
				.distinct()
				.toList()
				.toString())
			.filteredOn((answer) -> answer.getStatus().value() == 201)
			.hasSize(10);
		List<EntityExchangeResult<String>> refused = answers.stream()
			.filter((answer) -> answer.getStatus().value() != 201)
			.toList();
		assertThat(refused).hasSize(40).allSatisfy((answer) -> {
			assertThat(answer.getStatus().value()).isEqualTo(429);
			assertThat(UpstreamStub.json(answer.getResponseBody()).path("code").asString())
				.isEqualTo("budget_exhausted");
			// the seconds until the day ends: 14 hours
			assertThat(answer.getResponseHeaders().getFirst("Retry-After")).isEqualTo("50400");
		});
		SERVER.verify(10, postRequestedFor(urlPathMatching(API + "/models/.+")));

		SERVER.setScenarioState("budget", "ended");
		List<String> ids = answers.stream()
			.filter((answer) -> answer.getStatus().value() == 201)
			.map((answer) -> UpstreamStub.json(answer.getResponseBody()).path("id").asString())
			.toList();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(usage(b).path("total").path("jobs").asLong()).isEqualTo(10));
		BigDecimal sumOfCosts = ids.stream()
			.map((id) -> job(a, id).path("cost"))
			.peek((cost) -> assertThat(cost.path("priced").asString()).isEqualTo("final"))
			.map((cost) -> cost.path("amount").decimalValue())
			.reduce(BigDecimal.ZERO, BigDecimal::add);
		JsonNode usage = usage(a);
		assertThat(usage.path("total").path("cost").decimalValue()).isEqualByComparingTo(sumOfCosts)
			.isEqualByComparingTo("0.03");
		JsonNode budget = UpstreamStub
			.json(a.get(BUDGET_KEY, "/usage").expectBody(String.class).returnResult().getResponseBody())
			.path("budget");
		assertThat(budget.path("spent").decimalValue()).isEqualByComparingTo("0.03");
		assertThat(budget.path("reserved").decimalValue()).isEqualByComparingTo("0");
		assertThat(budget.path("remaining").decimalValue()).isEqualByComparingTo("0");
		assertThat(budget.path("resetsAt").asString()).isEqualTo("2026-12-06T00:00:00Z");
		// crossing half the budget was told once, by one replica
		assertThat(output.getAll().split("has spent or reserved", -1)).hasSize(2);

		// the day is spent; the next one is not
		a.create(BUDGET_KEY, REQUEST).expectStatus().isEqualTo(429);
		assertThat(a.gauge("gateway.budget.spent.ratio")).isEqualTo(1.0);
		// its alert-at, for the alert rule that compares each client with its own
		assertThat(a.gauge("gateway.budget.alert.ratio")).isEqualTo(0.5);
		CLOCK.advance(Duration.ofHours(14));
		b.create(BUDGET_KEY, REQUEST).expectStatus().isCreated();
		SERVER.verify(11, postRequestedFor(urlPathMatching(API + "/models/.+")));
	}

	private static JsonNode usage(Gateway replica) {
		return UpstreamStub.json(replica.get(ADMIN_KEY, "/admin/usage?from=2026-12-05&to=2026-12-06")
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());
	}

	private static JsonNode job(Gateway replica, String id) {
		return UpstreamStub
			.json(replica.get(BUDGET_KEY, "/images/" + id).expectBody(String.class).returnResult().getResponseBody());
	}

	private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder templated(String body) {
		return aResponse().withHeader("Content-Type", "application/json")
			.withBody(body)
			.withTransformers("response-template");
	}

	/** The replica reads the time from {@code clock} instead of the system's. */
	private static ApplicationContextInitializer<ConfigurableApplicationContext> onClock(Clock clock) {
		return (context) -> context.addBeanFactoryPostProcessor((beanFactory) -> {
			((BeanDefinitionRegistry) beanFactory).removeBeanDefinition("clock");
			beanFactory.registerSingleton("clock", clock);
		});
	}

}
