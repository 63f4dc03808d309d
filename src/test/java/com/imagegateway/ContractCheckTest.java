package com.imagegateway;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The check every integration test's answers go through finds what breaks the contract.
 */
class ContractCheckTest {

	private static final String JOB = """
			{"id":"j1","model":"a/b","version":null,"status":"succeeded","prompt":"cat","images":[],"error":null,
			"errorCode":null,"createdAt":"2026-01-01T00:00:00Z","startedAt":null,"completedAt":null,
			"predictTimeSeconds":null,"dataRemoved":false,"cached":false}""";

	@Test
	void aDocumentedAnswerPasses() {
		assertThat(ContractCheck.problem("GET", "/images/j1", 200, MediaType.APPLICATION_JSON, bytes(JOB))).isNull();
	}

	@Test
	void aStatusTheOperationDoesNotListFails() {
		assertThat(ContractCheck.problem("GET", "/images/j1", 418, MediaType.APPLICATION_JSON, bytes(JOB)))
			.contains("does not list");
	}

	@Test
	void aBodyOutsideTheSchemaFails() {
		assertThat(ContractCheck.problem("GET", "/images/j1", 200, MediaType.APPLICATION_JSON,
				bytes(JOB.replace("\"succeeded\"", "\"finished-ish\""))))
			.contains("does not allow");
		assertThat(ContractCheck.problem("GET", "/images/j1", 200, MediaType.APPLICATION_JSON,
				bytes(JOB.replace("\"id\":\"j1\",", ""))))
			.contains("does not allow");
	}

	@Test
	void aProblemCodeTheDocumentDoesNotNameFails() {
		String problem = """
				{"status":404,"title":"Not found","detail":"x","instance":"/images/j1","code":"%s"}""";
		assertThat(ContractCheck.problem("GET", "/images/j1", 404, MediaType.APPLICATION_PROBLEM_JSON,
				bytes(problem.formatted("not_found"))))
			.isNull();
		assertThat(ContractCheck.problem("GET", "/images/j1", 404, MediaType.APPLICATION_PROBLEM_JSON,
				bytes(problem.formatted("gone_fishing"))))
			.contains("does not name");
	}

	@Test
	void anUndocumentedMediaTypeFails() {
		assertThat(ContractCheck.problem("GET", "/images/j1", 200, MediaType.TEXT_HTML, bytes("<p>job</p>")))
			.contains("the document says");
	}

	@Test
	void pathsOutsideTheApiAreNotJudged() {
		assertThat(ContractCheck.problem("GET", "/actuator/health", 200, MediaType.APPLICATION_JSON, bytes("{}")))
			.isNull();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
