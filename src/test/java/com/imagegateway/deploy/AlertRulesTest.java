package com.imagegateway.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.Transferable;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's PrometheusRule: valid for {@code promtool check rules}, and each alert
 * proven by {@code promtool test rules} (src/test/resources/prometheus/alerts-test.yml)
 * to fire when it should and to stay quiet when it should not; each with a severity, a
 * summary naming what it is about, and a runbook section that exists.
 */
class AlertRulesTest {

	private static final Path UNIT_TESTS = Path.of("src/test/resources/prometheus/alerts-test.yml");

	private static final Path RUNBOOK = Path.of("docs/runbook.md");

	@Test
	void everyAlertHasAFiringAndANotFiringUnitTest() throws Exception {
		Map<String, Object> unitTests = new Yaml().load(Files.readString(UNIT_TESTS));
		List<Map<String, Object>> tests = Helm.at(unitTests, "tests");
		Set<String> firing = alertTests(tests, false);
		Set<String> quiet = alertTests(tests, true);
		Set<String> alerts = AlertRules.alerts()
			.stream()
			.map((alert) -> (String) alert.get("alert"))
			.collect(Collectors.toSet());
		assertThat(alerts).hasSizeGreaterThanOrEqualTo(11);
		assertThat(firing).as("alerts with a firing case").containsAll(alerts);
		assertThat(quiet).as("alerts with a not-firing case").containsAll(alerts);
	}

	@Test
	void everyAlertHasASeverityASummaryNamingWhatItIsAboutAndARunbookSection() throws Exception {
		Set<String> sections = Files.readAllLines(RUNBOOK)
			.stream()
			.filter((line) -> line.startsWith("#"))
			.map(AlertRulesTest::anchor)
			.collect(Collectors.toSet());
		for (Map<String, Object> alert : AlertRules.alerts()) {
			String name = (String) alert.get("alert");
			assertThat(Helm.<String>at(alert, "labels", "severity")).as(name).isIn("critical", "warning");
			assertThat(Helm.<String>at(alert, "annotations", "summary")).as(name)
				.containsPattern("\\{\\{ \\$labels\\.(client|upstream|name|operation|pod) }}");
			assertThat(Helm.<String>at(alert, "annotations", "description")).as(name).isNotBlank();
			String runbook = Helm.at(alert, "annotations", "runbook_url");
			assertThat(runbook).as(name).isEqualTo(AlertRules.RUNBOOK + "#" + name.toLowerCase(Locale.ROOT));
			assertThat(sections).as("docs/runbook.md has a section for " + name)
				.contains(name.toLowerCase(Locale.ROOT));
		}
	}

	@Test
	void thresholdsAreTheChartsValues() throws Exception {
		Map<String, Map<String, Object>> alerts = AlertRules
			.alerts("--set-json", "prometheusRule.thresholds.upstreamErrorRatio=0.2", "--set",
					"prometheusRule.thresholds.circuitOpenFor=15m", "--set-json",
					"prometheusRule.thresholds.latencyP99Seconds=2.5", "--set",
					"prometheusRule.thresholds.trackerLagSeconds=30", "--set",
					"prometheusRule.thresholds.upstreamRateLimitedPerMinute=12")
			.stream()
			.collect(Collectors.toMap((alert) -> (String) alert.get("alert"), (alert) -> alert));
		assertThat((String) alerts.get("ImageGatewayUpstreamErrors").get("expr")).contains("> 0.2");
		assertThat(alerts.get("ImageGatewayCircuitOpen").get("for")).isEqualTo("15m");
		assertThat(Helm.<String>at(alerts.get("ImageGatewayCircuitOpen"), "annotations", "summary"))
			.contains("has not closed for 15m");
		assertThat((String) alerts.get("ImageGatewayLatencyHigh").get("expr")).contains("> 2.5");
		assertThat((String) alerts.get("ImageGatewayTrackerLag").get("expr")).contains("> 30");
		assertThat((String) alerts.get("ImageGatewayUpstreamRateLimited").get("expr")).contains("> 12");
		// every selector is the release's own
		alerts.values()
			.forEach((alert) -> assertThat((String) alert.get("expr"))
				.contains("job=\"" + AlertRules.JOB + "\", namespace=\"" + AlertRules.NAMESPACE + "\""));
	}

	@Test
	void theRulesAreNotRenderedWithoutARunbookUrlNorUnlessEnabled() throws Exception {
		assertThat(Helm.refusal("--set", "prometheusRule.enabled=true")).contains("prometheusRule.runbookUrl");
		assertThat(Helm.has(Helm.template(), "PrometheusRule")).isFalse();
	}

	/** promtool, from the local Prometheus image (.ci/image-prometheus.sh). */
	@Test
	void promtoolAcceptsTheRulesAndEveryAlertPassesItsUnitTests() throws Exception {
		Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "no container engine");
		String rules = AlertRules.rulesFile();
		try (GenericContainer<?> promtool = new GenericContainer<>(PrometheusServer.IMAGE)
			.withCreateContainerCmdModifier((create) -> create.withEntrypoint("/bin/busybox"))
			.withCommand("sleep", "600")
			.withCopyToContainer(Transferable.of(rules), "/rules/rules.yml")
			.withCopyToContainer(Transferable.of(Files.readString(UNIT_TESTS)), "/rules/alerts-test.yml")) {
			promtool.start();
			Container.ExecResult check = promtool.execInContainer("promtool", "check", "rules", "/rules/rules.yml");
			assertThat(check.getExitCode()).as(check.getStdout() + check.getStderr()).isZero();
			assertThat(check.getStdout()).contains("SUCCESS: 12 rules found");
			// rule_files are read beside the unit tests' file
			Container.ExecResult test = promtool.execInContainer("promtool", "test", "rules", "/rules/alerts-test.yml");
			assertThat(test.getExitCode()).as(test.getStdout() + test.getStderr()).isZero();
			assertThat(test.getStdout()).contains("SUCCESS");
		}
	}

	/**
	 * The alerts the unit tests expect firing ({@code quiet}: expect none) at some time.
	 */
	private static Set<String> alertTests(List<Map<String, Object>> tests, boolean quiet) {
		return tests.stream()
			.flatMap((test) -> Helm.<List<Map<String, Object>>>at(test, "alert_rule_test").stream())
			.filter((check) -> Helm.<List<?>>at(check, "exp_alerts").isEmpty() == quiet)
			.map((check) -> (String) check.get("alertname"))
			.collect(Collectors.toSet());
	}

	/** GitHub's anchor of a Markdown heading. */
	private static String anchor(String heading) {
		return heading.replaceFirst("^#+\\s*", "")
			.toLowerCase(Locale.ROOT)
			.replaceAll("[^\\p{L}\\p{N} _-]", "")
			.replace(' ', '-');
	}

}
