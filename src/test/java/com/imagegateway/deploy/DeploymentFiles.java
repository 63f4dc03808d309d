package com.imagegateway.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.StringUtils;

/**
 * What the deployment files (compose, Helm) may set: properties that really bind in the
 * application.
 */
final class DeploymentFiles {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Fields of a configured client, as they appear after a client's name in
	 * {@code gateway.clients.<name>.}.
	 */
	private static final Set<String> CLIENT_FIELDS = Set.of("keysha256", "upstreamkey", "models", "sandbox", "limits");

	private static final Set<String> KNOWN = knownProperties();

	private DeploymentFiles() {
	}

	/**
	 * Whether an environment variable binds to a property of the application (Spring
	 * Boot's relaxed binding: dots become underscores, dashes go, upper case), or is a
	 * placeholder that the application's own configuration reads.
	 */
	static boolean bindsToAProperty(String variable) {
		String property = variable.toLowerCase(Locale.ROOT).replace('_', '.');
		if (property.startsWith("gateway.clients.")) {
			String[] parts = property.split("\\.", 4);
			return parts.length == 4 && CLIENT_FIELDS.contains(parts[3].split("\\.")[0]);
		}
		if (property.startsWith("gateway.upstream.keys.")) {
			return true;
		}
		return KNOWN.contains(property) || applicationYaml().contains("${" + variable);
	}

	static String applicationYaml() {
		try {
			return Files.readString(Path.of("src/main/resources/application.yml"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Every property in the configuration metadata on the classpath, ours and Spring
	 * Boot's, in env-var form.
	 */
	private static Set<String> knownProperties() {
		Set<String> names = new HashSet<>();
		try {
			for (URL url : Collections.list(DeploymentFiles.class.getClassLoader()
				.getResources("META-INF/spring-configuration-metadata.json"))) {
				try (InputStream in = url.openStream()) {
					for (JsonNode property : JSON.readTree(in).path("properties")) {
						names
							.add(StringUtils.deleteAny(property.path("name").asString().toLowerCase(Locale.ROOT), "-"));
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return names;
	}

	/** The variables of a {@code KEY=value} file, such as {@code .env.example}. */
	static Map<String, String> dotEnv(Path file) throws IOException {
		Map<String, String> values = new java.util.LinkedHashMap<>();
		for (String line : Files.readAllLines(file)) {
			String trimmed = line.strip();
			if (!trimmed.isEmpty() && !trimmed.startsWith("#") && trimmed.contains("=")) {
				values.put(trimmed.substring(0, trimmed.indexOf('=')), trimmed.substring(trimmed.indexOf('=') + 1));
			}
		}
		return values;
	}

}
