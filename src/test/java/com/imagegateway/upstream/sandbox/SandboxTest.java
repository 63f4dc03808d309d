package com.imagegateway.upstream.sandbox;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.imagegateway.GatewayIntegrationTest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sandbox clients get the whole API from the built-in simulated upstream, and spend
 * nothing.
 */
class SandboxTest extends GatewayIntegrationTest {

	@Test
	void aSandboxJobMovesFromStartingThroughProcessingToSucceeded() {
		String created = createWith(SANDBOX_KEY,
				"{\"model\": \"black-forest-labs/flux-schnell\", \"prompt\": \"a fox\"}")
			.expectStatus()
			.isCreated()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(json(created).path("status").asString()).isEqualTo("starting");
		String id = json(created).path("id").asString();

		List<String> seen = new ArrayList<>();
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
			String status = json(getWith(SANDBOX_KEY, "/images/{id}", id).exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody()).path("status").asString();
			if (seen.isEmpty() || !seen.getLast().equals(status)) {
				seen.add(status);
			}
			return status.equals("succeeded");
		});
		assertThat(seen).containsSubsequence("processing", "succeeded").doesNotContain("failed");
		SERVER.verify(0, postRequestedFor(anyUrl()));
	}

	@ParameterizedTest(name = "{0} at {1}")
	@CsvSource({ "webp, 16:9, 256, 144, image/webp", "png, 1:1, 256, 256, image/png",
			"jpg, 2:3, 171, 256, image/jpeg" })
	void sandboxImagesAreRealImagesInTheRequestedFormatAndAspectRatio(String format, String aspectRatio, int width,
			int height, String mediaType) throws IOException {
		String job = waitedJob("""
				{"model": "black-forest-labs/flux-schnell", "prompt": "a harbour", "outputFormat": "%s",
				 "aspectRatio": "%s", "numOutputs": 2, "seed": 7}""".formatted(format, aspectRatio));
		assertThat(json(job).path("status").asString()).isEqualTo("succeeded");
		assertThat(json(job).path("images")).hasSize(2);

		// held until stored: the gateway's own link, and a signed one that needs no key
		var image1 = json(job).path("images").get(1);
		assertThat(image1.path("stored").asBoolean()).isTrue();
		assertThat(image1.path("url").asString()).startsWith("http://localhost:").endsWith("/outputs/1");
		assertThat(image1.path("contentType").asString()).isEqualTo(mediaType);
		assertThat(image1.path("expiresAt").isNull()).isTrue();
		byte[] bytes = this.web.get()
			.uri(image1.path("signedUrl").asString())
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(MediaType.parseMediaType(mediaType))
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
		assertThat(image).as("decodable " + format).isNotNull();
		assertThat(image.getWidth()).isEqualTo(width);
		assertThat(image.getHeight()).isEqualTo(height);
		SERVER.verify(0, postRequestedFor(anyUrl()));
	}

	@Test
	void aPromptAskingForFailureProducesAFailedJobWithoutImages() {
		String job = waitedJob("{\"model\": \"black-forest-labs/flux-schnell\", \"prompt\": \"please fail\"}");

		assertThat(json(job).path("status").asString()).isEqualTo("failed");
		assertThat(json(job).path("error").asString()).contains("fail");
		assertThat(json(job).path("images")).isEmpty();
	}

	@Test
	void aSandboxJobCanBeCanceledWhileRunning() {
		String id = json(createWith(SANDBOX_KEY, "{\"model\": \"a/b\", \"prompt\": \"slow\"}").expectBody(String.class)
			.returnResult()
			.getResponseBody()).path("id").asString();

		postWith(SANDBOX_KEY, "/images/{id}/cancel", id).exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("canceled");
		postWith(SANDBOX_KEY, "/images/{id}/cancel", id).exchange().expectStatus().isEqualTo(409);
	}

	@Test
	void unknownSandboxFilesAreNotFound() {
		this.web.get().uri("/sandbox/files/nope/0.webp").exchange().expectStatus().isNotFound();
		this.web.get().uri("/sandbox/files/nope/0.gif").exchange().expectStatus().isNotFound();
	}

	private String waitedJob(String body) {
		return postWith(SANDBOX_KEY, "/images").header("Prefer", "wait=10")
			.header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

}
