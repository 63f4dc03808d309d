package com.imagegateway.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import com.imagegateway.GatewayIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed OpenAPI document is the contract that callers generate clients from: it
 * must be exactly what the gateway serves, and complete enough for a generator.
 */
class OpenApiContractTest extends GatewayIntegrationTest {

	static final Path COMMITTED = Path.of("src/main/resources/openapi/image-gateway.json");

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(SerializationFeature.INDENT_OUTPUT)
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.build();

	@Test
	void servedDocumentIsTheCommittedContract() throws IOException {
		JsonNode served = served();
		JsonNode committed = Files.exists(COMMITTED) ? JSON.readTree(COMMITTED.toFile()) : null;
		if (!served.equals(committed)) {
			Path actual = Path.of("target/openapi/image-gateway.json");
			Files.createDirectories(actual.getParent());
			Files.writeString(actual, JSON.writeValueAsString(JSON.treeToValue(served, Object.class)) + "\n");
			throw new AssertionError("The served OpenAPI document differs from " + COMMITTED + ". If the change is "
					+ "intended, review it and run: cp " + actual + " " + COMMITTED);
		}
	}

	@Test
	void everyOperationHasAnIdAndEveryBodyANamedSchema() {
		JsonNode document = served();
		List<String> operationIds = new ArrayList<>();
		for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
			for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
				String where = operation.getKey() + " " + path.getKey();
				JsonNode op = operation.getValue();
				assertThat(op.path("operationId").asString()).as(where + " operationId").isNotBlank();
				operationIds.add(op.path("operationId").asString());
				assertThat(op.path("security").toString()).as(where + " security").contains("bearer");
				op.path("requestBody")
					.path("content")
					.forEach((media) -> assertThat(media.path("schema").path("$ref").asString())
						.as(where + " request schema")
						.startsWith("#/components/schemas/"));
				for (Map.Entry<String, JsonNode> response : op.path("responses").properties()) {
					// every answer has a named body (or an image's bytes), except a 304,
					// which has none by definition
					boolean notModified = response.getKey().equals("304");
					if (!notModified && (response.getKey().startsWith("2") && operation.getKey().equals("get")
							|| !response.getKey().startsWith("2") || response.getValue().has("content"))) {
						assertThat(response.getValue().path("content").properties()).as(where + " " + response.getKey())
							.isNotEmpty()
							.allSatisfy((media) -> {
								// an image is bytes, which generated clients read as a
								// file
								if (media.getKey().startsWith("image/")) {
									assertThat(media.getValue().path("schema").path("format").asString())
										.isEqualTo("binary");
								}
								// a spreadsheet's rows are text
								else if (media.getKey().equals("text/csv")) {
									assertThat(media.getValue().path("schema").path("type").asString())
										.isEqualTo("string");
								}
								else {
									assertThat(media.getValue().path("schema").path("$ref").asString())
										.startsWith("#/components/schemas/");
								}
							});
					}
				}
				assertThat(op.path("responses").has("401")).as(where + " documents 401").isTrue();
			}
		}
		assertThat(operationIds).containsExactlyInAnyOrder("createImage", "getImage", "cancelImage", "listImages",
				"streamImageEvents", "getImageOutput", "getUsage", "getAllUsage", "getAnyImage", "createOpenAiImage",
				"listOpenAiModels", "getOpenAiModel");
		assertThat(document.path("components").path("securitySchemes").path("bearer").path("scheme").asString())
			.isEqualTo("bearer");
		assertThat(document.path("components").path("schemas").path("JobStatus").path("enum").toString())
			.isEqualTo("[\"starting\",\"processing\",\"succeeded\",\"failed\",\"canceled\",\"aborted\"]");
	}

	private JsonNode served() {
		byte[] body = this.web.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return JSON.readTree(body);
	}

}
