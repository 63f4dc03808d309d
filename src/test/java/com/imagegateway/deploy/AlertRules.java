package com.imagegateway.deploy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart's PrometheusRule as Prometheus reads it: its {@code spec}, a rules file.
 * Rendered as release {@code release} in namespace {@code default}, so every rule selects
 * {@code job="release-image-gateway", namespace="default"}.
 */
final class AlertRules {

	static final String JOB = "release-image-gateway";

	static final String NAMESPACE = "default";

	static final String RUNBOOK = "https://docs.example.com/image-gateway/runbook.md";

	private AlertRules() {
	}

	/**
	 * @param values more {@code helm template} arguments ({@code --set ...})
	 */
	static String rulesFile(String... values) throws IOException, InterruptedException {
		return new Yaml(blockStyle()).dump(rule(values).get("spec"));
	}

	static Map<String, Object> rule(String... values) throws IOException, InterruptedException {
		List<String> arguments = new ArrayList<>(
				List.of("--set", "prometheusRule.enabled=true", "--set", "prometheusRule.runbookUrl=" + RUNBOOK));
		arguments.addAll(List.of(values));
		return Helm.named(Helm.template(arguments.toArray(String[]::new)), "PrometheusRule", JOB);
	}

	/** Each alerting rule: alert, expr, for, labels, annotations. */
	static List<Map<String, Object>> alerts(String... values) throws IOException, InterruptedException {
		List<Map<String, Object>> groups = Helm.at(rule(values), "spec", "groups");
		List<Map<String, Object>> alerts = new ArrayList<>();
		for (Map<String, Object> group : groups) {
			List<Map<String, Object>> rules = Helm.at(group, "rules");
			rules.stream().filter((rule) -> rule.containsKey("alert")).forEach(alerts::add);
		}
		return alerts;
	}

	private static DumperOptions blockStyle() {
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		return options;
	}

}
