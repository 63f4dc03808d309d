package com.imagegateway.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import com.imagegateway.UpstreamStub;
import com.imagegateway.store.redis.Gateway;
import com.imagegateway.store.redis.RedisContainer;

import org.springframework.http.HttpHeaders;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.GatewayIntegrationTest.BUDGET_KEY;
import static com.imagegateway.GatewayIntegrationTest.LIMITED_KEY;
import static com.imagegateway.GatewayIntegrationTest.TEAM_A_KEY;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped dashboard and alert rules against a real Prometheus that scraped two
 * gateway replicas (on real Redis) through a short load with upstream faults: jobs that
 * succeed, upstream 500s, 429s and 401s, an open circuit, client limits, a budget past
 * its alert share, webhooks delivered and given up, and a Redis outage. Every panel's
 * query, with Grafana's variables filled in, must return data; every variable must list
 * values; every metric a panel or rule names must be one the gateway exports; and the
 * chart's rules must evaluate on that data without an error.
 */
@Testcontainers(disabledWithoutDocker = true)
class DashboardQueriesTest {

	static final Path DASHBOARD = Helm.CHART.resolve("dashboards/image-gateway.json");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String FLUX = """
			{"model": "black-forest-labs/flux-schnell", "prompt": "a lighthouse at dawn"}""";

	/** What Grafana puts for each variable: one namespace, all pods, all clients. */
	private static final Map<String, String> VARIABLES = Map.of("$namespace", AlertRules.NAMESPACE, "$pod", ".*",
			"$client", ".*", "$__rate_interval", "1m", "$__range", "10m");

	/** Grafana's variable query: a label's values among a selector's series. */
	private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");

	private static RedisContainer redis;

	private static Gateway a;

	private static Gateway b;

	private static PrometheusServer prometheus;

	@BeforeAll
	static void scrapeTwoReplicasThroughALoadWithFaults() throws Exception {
		String rules = AlertRules.rulesFile();
		redis = new RedisContainer().start();
		// as the chart runs it: clients from a mounted file too, watched for changes
		Path clients = Files.createTempFile("clients", ".yaml");
		Files.writeString(clients, "team-ops:\n  key-sha256: \"" + "a".repeat(64) + "\"\n");
		Map<String, String> settings = Map.of("gateway.clients-file", clients.toString(),
				"gateway.upstream.resilience.timeouts.create", "5s", "gateway.webhooks.retry-for", "1s",
				"gateway.webhooks.first-retry", "100ms",
				// The stand-in is Debian's Prometheus 2.42, which drops a whole scrape
				// that
				// carries an exemplar on a _count (allowed from 2.43 on;
				// docs/operate.md):
				// with no sampled span there is no exemplar
				"management.tracing.sampling.probability", "0");
		a = Gateway.start(redis.url(), settings);
		b = Gateway.start(redis.url(), settings);
		prometheus = new PrometheusServer(prometheusConfig(), rules).start();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> prometheus.query("up{job=\"" + AlertRules.JOB + "\"} == 1").size() == 2);

		load();

		// every replica scraped after the load ended, twice (a rate needs two samples)
		Instant ended = Instant.now().plusSeconds(2);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> prometheus.query("timestamp(up{job=\"" + AlertRules.JOB + "\"}) > " + ended.getEpochSecond())
				.size() == 2);
	}

	@AfterAll
	static void stopAll() {
		Gateway.closeAll(prometheus, a, b, redis);
	}

	@Test
	void everyPanelsQueryReturnsDataFromAPrometheusThatScrapedTheGatewayUnderLoad() throws IOException {
		List<String> empty = new ArrayList<>();
		List<String> queries = new ArrayList<>();
		for (JsonNode panel : panels()) {
			for (JsonNode target : panel.path("targets")) {
				String query = filledIn(target.path("expr").asString());
				queries.add(query);
				if (prometheus.query(query).isEmpty()) {
					empty.add(panel.path("title").asString() + ": " + query);
				}
			}
		}
		assertThat(queries).hasSizeGreaterThanOrEqualTo(20);
		assertThat(empty).as("panels without data").isEmpty();
	}

	@Test
	void everyDashboardVariableListsValues() throws IOException {
		List<String> variables = new ArrayList<>();
		for (JsonNode variable : dashboard().path("templating").path("list")) {
			if (!"query".equals(variable.path("type").asString())) {
				continue;
			}
			String definition = variable.path("query").isObject() ? variable.path("query").path("query").asString()
					: variable.path("query").asString();
			Matcher matcher = LABEL_VALUES.matcher(definition);
			assertThat(matcher.matches()).as(definition).isTrue();
			JsonNode values = prometheus.labelValues(matcher.group(2), filledIn(matcher.group(1)));
			assertThat(values).as(variable.path("name").asString() + ": " + definition).isNotEmpty();
			variables.add(variable.path("name").asString());
		}
		assertThat(variables).contains("namespace", "pod", "client");
	}

	@Test
	void everyMetricAPanelOrRuleNamesIsOneTheGatewayExports() throws Exception {
		Set<String> exported = new TreeSet<>();
		for (Gateway replica : List.of(a, b)) {
			exported.addAll(exportedNames(replica.web()
				.mutate()
				.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(32 * 1024 * 1024))
				.build()
				.get()
				.uri("/actuator/prometheus")
				.exchange()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody()));
		}
		Set<String> named = new TreeSet<>();
		for (JsonNode panel : panels()) {
			for (JsonNode target : panel.path("targets")) {
				named.addAll(PromQl.metricNames(target.path("expr").asString()));
			}
		}
		for (JsonNode variable : dashboard().path("templating").path("list")) {
			if ("query".equals(variable.path("type").asString())) {
				Matcher matcher = LABEL_VALUES.matcher(variable.path("query").path("query").asString());
				assertThat(matcher.matches()).isTrue();
				named.addAll(PromQl.metricNames(matcher.group(1)));
			}
		}
		for (Map<String, Object> alert : AlertRules.alerts()) {
			named.addAll(PromQl.metricNames((String) alert.get("expr")));
		}
		assertThat(named).hasSizeGreaterThan(15);
		assertThat(exported).as("what the gateway exports").containsAll(named);
	}

	@Test
	void theChartsAlertRulesEvaluateOnTheScrapedDataWithoutAnErrorAndTheBudgetAlertFires() {
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			JsonNode groups = prometheus.get("/api/v1/rules").path("data").path("groups");
			List<String> evaluated = new ArrayList<>();
			for (JsonNode group : groups) {
				for (JsonNode rule : group.path("rules")) {
					assertThat(rule.path("health").asString()).as(rule.path("name") + ": " + rule.path("lastError"))
						.isEqualTo("ok");
					evaluated.add(rule.path("name").asString());
				}
			}
			assertThat(evaluated).hasSizeGreaterThanOrEqualTo(11);
		});
		// team-budget has spent over half its day's budget (alert-at 0.5); the rule has
		// no "for"
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(prometheus.query("ALERTS{alertname=\"ImageGatewayBudgetAlert\"}"))
				.anySatisfy((alert) -> assertThat(alert.path("metric").path("client").asString())
					.isEqualTo("team-budget")));
		// the 401s fired at once (no "for"), naming the upstream key
		assertThat(prometheus.query("ALERTS{alertname=\"ImageGatewayUpstreamAuthFailures\"}"))
			.anySatisfy((alert) -> assertThat(alert.path("metric").path("upstream").asString()).isEqualTo("default"));
	}

	private static void load() {
		SERVER.resetAll();
		SERVER.stubFor(post(urlPathMatching(API + "/models/black-forest-labs/flux-schnell/predictions"))
			.willReturn(templated(201, prediction("{{randomValue length=20 type='ALPHANUMERIC' lowercase=true}}",
					"starting", null, "{{now}}"))));
		var succeeded = (ObjectNode) UpstreamStub.json(prediction("{{request.pathSegments.[3]}}", "succeeded",
				List.of(SERVER.baseUrl() + "/files/{{request.pathSegments.[3]}}.png"), "{{now}}"));
		succeeded.put("completed_at", "{{now}}");
		SERVER.stubFor(
				get(urlPathMatching(API + "/predictions/[a-z0-9]+")).willReturn(templated(200, succeeded.toString())));
		SERVER.stubFor(get(urlPathMatching("/files/.+"))
			.willReturn(aResponse().withHeader("Content-Type", "image/png").withBody(UpstreamStub.PNG)));
		SERVER.stubFor(post(urlPathMatching("/hooks/ok")).willReturn(aResponse().withStatus(204)));
		SERVER.stubFor(post(urlPathMatching("/hooks/broken")).willReturn(aResponse().withStatus(500)));
		SERVER.stubFor(post(urlPathMatching(API + "/models/faulty/server-error/predictions"))
			.willReturn(aResponse().withStatus(500)));
		SERVER.stubFor(post(urlPathMatching(API + "/models/faulty/throttled/predictions"))
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")));
		SERVER.stubFor(post(urlPathMatching(API + "/models/faulty/unauthorized/predictions"))
			.willReturn(aResponse().withStatus(401)));

		HttpHeaders held = new HttpHeaders();
		held.set("Prefer", "wait=10");
		// jobs that succeed, their images stored, on both replicas, held and not
		for (int i = 0; i < 4; i++) {
			a.create(TEAM_A_KEY, FLUX, held).expectStatus().isCreated();
			b.create(TEAM_A_KEY, FLUX).expectStatus().isCreated();
		}
		// webhooks: one receiver answers, one fails until the delivery is given up
		a.create(TEAM_A_KEY, withWebhook("/hooks/ok")).expectStatus().isCreated();
		b.create(TEAM_A_KEY, withWebhook("/hooks/broken")).expectStatus().isCreated();
		// a budget crossing its alert share: each job settled before the next create
		// reports what was spent
		for (int i = 0; i < 7; i++) {
			a.create(BUDGET_KEY, FLUX, held).expectStatus().isCreated();
		}
		// a client over its rate limit (2 creates a minute), and a caller with no key
		for (int i = 0; i < 2; i++) {
			b.create(LIMITED_KEY, FLUX).expectStatus().isCreated();
		}
		b.create(LIMITED_KEY, FLUX).expectStatus().isEqualTo(429);
		a.create("no-such-key", FLUX).expectStatus().isUnauthorized();
		// Redis down for a moment: the store cannot answer
		redis.stop();
		for (int i = 0; i < 3; i++) {
			a.get(TEAM_A_KEY, "/images/no-such-job").expectStatus().isEqualTo(503);
		}
		redis.startAgain();
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> a.get(TEAM_A_KEY, "/images?limit=1").expectStatus().isOk());
		// the upstream's faults: refused key, throttling, then errors until the circuit
		// opens
		a.create(TEAM_A_KEY, model("faulty/unauthorized")).expectStatus().isEqualTo(502);
		// the upstream's 429 retried, then answered as the gateway's 503 upstream_busy
		b.create(TEAM_A_KEY, model("faulty/throttled")).expectStatus().isEqualTo(503);
		for (int i = 0; i < 6; i++) {
			a.create(TEAM_A_KEY, model("faulty/server-error")).expectStatus().is5xxServerError();
		}
		// the webhook given up once its retries (1 s) are spent
		await().atMost(Duration.ofSeconds(20))
			.until(() -> a.counter("gateway.webhooks.deliveries", "outcome", "given_up")
					+ b.counter("gateway.webhooks.deliveries", "outcome", "given_up") > 0);
	}

	private static String withWebhook(String path) {
		return "{\"model\": \"black-forest-labs/flux-schnell\", \"prompt\": \"a lighthouse\", \"webhook\": \""
				+ "http://127.0.0.1:" + SERVER.port() + path + "\"}";
	}

	private static String model(String model) {
		return "{\"model\": \"" + model + "\", \"prompt\": \"a lighthouse\"}";
	}

	private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder templated(int status, String body) {
		return aResponse().withStatus(status)
			.withHeader("Content-Type", "application/json")
			.withBody(body)
			.withTransformers("response-template");
	}

	/**
	 * Scrapes both replicas each second, with the labels the Prometheus Operator gives a
	 * ServiceMonitor's targets: the Service's name as job, namespace and pod.
	 */
	private static String prometheusConfig() {
		return """
				global:
				  scrape_interval: 1s
				  evaluation_interval: 1s
				rule_files: [/etc/prometheus/rules.yml]
				scrape_configs:
				  - job_name: %s
				    metrics_path: /actuator/prometheus
				    static_configs:
				      - targets: ["127.0.0.1:%d"]
				        labels: {namespace: %s, pod: %s-a}
				      - targets: ["127.0.0.1:%d"]
				        labels: {namespace: %s, pod: %s-b}
				""".formatted(AlertRules.JOB, a.port(), AlertRules.NAMESPACE, AlertRules.JOB, b.port(),
				AlertRules.NAMESPACE, AlertRules.JOB);
	}

	static JsonNode dashboard() throws IOException {
		return JSON.readTree(Files.readString(DASHBOARD));
	}

	/** Every panel, those inside collapsed rows too. */
	static List<JsonNode> panels() throws IOException {
		List<JsonNode> panels = new ArrayList<>();
		for (JsonNode panel : dashboard().path("panels")) {
			if ("row".equals(panel.path("type").asString())) {
				panel.path("panels").forEach(panels::add);
			}
			else {
				panels.add(panel);
			}
		}
		return panels;
	}

	private static String filledIn(String query) {
		String filled = query;
		for (Map.Entry<String, String> variable : VARIABLES.entrySet()) {
			filled = filled.replace(variable.getKey(), variable.getValue());
		}
		assertThat(filled).as("a variable the test does not know").doesNotContain("$");
		return filled;
	}

	/** Metric names on a Prometheus text page. */
	private static Set<String> exportedNames(String page) {
		Set<String> names = new TreeSet<>();
		for (String line : page.split("\n")) {
			if (!line.isEmpty() && !line.startsWith("#")) {
				names.add(line.split("[{ ]", 2)[0]);
			}
		}
		return names;
	}

}
