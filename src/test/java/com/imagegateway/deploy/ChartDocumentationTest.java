package com.imagegateway.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart explains itself: every property of {@code values.schema.json} has a
 * description (editors and {@code helm lint} show it), and the chart's README lists every
 * value.
 */
class ChartDocumentationTest {

	private static final Path CHART = Path.of("helm/image-gateway");

	@Test
	void everyValueIsDescribedInTheSchemaAndListedInTheChartsReadme() throws IOException {
		JsonNode schema = JsonMapper.shared().readTree(CHART.resolve("values.schema.json").toFile());
		String readme = Files.readString(CHART.resolve("README.md"));

		int[] values = { 0 };
		visit(schema, "", (path, property) -> {
			values[0]++;
			assertThat(property.path("description").asString()).as(path + " has a description").isNotBlank();
			assertThat(readme).as("README.md lists " + path).contains("| `" + path + "` |");
		});
		assertThat(values[0]).as("values in the schema").isGreaterThan(50);
	}

	private static void visit(JsonNode node, String prefix, java.util.function.BiConsumer<String, JsonNode> each) {
		for (Map.Entry<String, JsonNode> property : node.path("properties").properties()) {
			String path = prefix.isEmpty() ? property.getKey() : prefix + "." + property.getKey();
			each.accept(path, property.getValue());
			visit(property.getValue(), path, each);
		}
	}

}
