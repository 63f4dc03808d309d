package com.imagegateway.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders the chart with the real helm binary: {@code $HELM}, or {@code helm} on the
 * PATH. Without one the chart tests skip, except in CI ({@code CI=true}), where they must
 * run.
 */
final class Helm {

	static final Path CHART = Path.of("helm/image-gateway");

	private Helm() {
	}

	static String binary() {
		Optional<String> helm = Optional.ofNullable(System.getenv("HELM"))
			.or(() -> Stream.of(System.getenv("PATH").split(":"))
				.map((dir) -> Path.of(dir, "helm"))
				.filter(Files::isExecutable)
				.map(Path::toString)
				.findFirst());
		if (helm.isEmpty() && "true".equals(System.getenv("CI"))) {
			throw new IllegalStateException("CI must run the chart tests: set HELM or put helm on the PATH");
		}
		Assumptions.assumeTrue(helm.isPresent(), "helm is not installed");
		return helm.get();
	}

	/** What helm says when it refuses to render these values. */
	static String refusal(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(binary(), "template", "release", CHART.toString()));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as("helm template should have failed: " + output).isNotZero();
		return output;
	}

	/** The rendered manifests, each a parsed YAML document. */
	static List<Map<String, Object>> template(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(binary(), "template", "release", CHART.toString()));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as("helm template: " + output).isZero();
		List<Map<String, Object>> documents = new ArrayList<>();
		for (Object document : new Yaml().loadAll(output)) {
			if (document instanceof Map<?, ?> map) {
				@SuppressWarnings("unchecked")
				Map<String, Object> typed = (Map<String, Object>) map;
				documents.add(typed);
			}
		}
		return documents;
	}

	static Map<String, Object> kind(List<Map<String, Object>> documents, String kind) {
		return documents.stream()
			.filter((document) -> kind.equals(document.get("kind")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
	}

	/** The one resource of that kind and name (the release is {@code release}). */
	static Map<String, Object> named(List<Map<String, Object>> documents, String kind, String name) {
		return documents.stream()
			.filter((document) -> kind.equals(document.get("kind")) && name.equals(at(document, "metadata", "name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
	}

	static boolean has(List<Map<String, Object>> documents, String kind) {
		return documents.stream().anyMatch((document) -> kind.equals(document.get("kind")));
	}

	@SuppressWarnings("unchecked")
	static <T> T at(Object node, String... path) {
		Object current = node;
		for (String step : path) {
			if (current instanceof List<?> list) {
				current = list.get(Integer.parseInt(step));
			}
			else {
				current = ((Map<String, Object>) current).get(step);
			}
		}
		return (T) current;
	}

}
