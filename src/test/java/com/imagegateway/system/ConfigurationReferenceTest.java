package com.imagegateway.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/configure.md} is the configuration reference: every {@code gateway.}
 * property in the metadata that {@code spring-boot-configuration-processor} generates
 * from the {@code @ConfigurationProperties} records is in it, so the reference cannot
 * drift from the code.
 */
class ConfigurationReferenceTest {

	private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

	private static final Path REFERENCE = Path.of("docs/configure.md");

	@Test
	void everyGatewayPropertyIsInTheConfigurationReference() throws IOException {
		JsonNode metadata = JsonMapper.shared().readTree(METADATA.toFile());
		String reference = Files.readString(REFERENCE);
		List<String> properties = new ArrayList<>();
		metadata.path("properties").forEach((property) -> {
			String name = property.path("name").asString();
			if (name.startsWith("gateway.")) {
				properties.add(name);
			}
		});

		assertThat(properties).as("gateway properties in the metadata").hasSizeGreaterThan(50);
		assertThat(properties)
			.allSatisfy((name) -> assertThat(reference).as(REFERENCE + " names " + name).contains("`" + name + "`"));
	}

}
