package com.imagegateway.outputs;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import com.imagegateway.GatewayIntegrationTest;
import com.imagegateway.UpstreamStub;
import com.imagegateway.images.UpstreamStubs;
import com.imagegateway.storage.S3ProxyContainer;

import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole gateway with {@code gateway.storage.type=s3}, against a real S3-compatible
 * server (s3proxy in a container): outputs land in the bucket under the prefix and are
 * served from it after the upstream's link is gone, ranges and signed links included. The
 * storage's own behaviour (deletes, a cut-off upload) is {@code S3OutputStorageTest}'s.
 */
@Testcontainers(disabledWithoutDocker = true)
class StoredOutputsOnS3Test extends GatewayIntegrationTest {

	private static final byte[] JPEG = jpeg();

	@DynamicPropertySource
	static void s3(DynamicPropertyRegistry registry) {
		registry.add("gateway.storage.type", () -> "s3");
		registry.add("gateway.storage.s3.endpoint", () -> S3ProxyContainer.endpoint().toString());
		registry.add("gateway.storage.s3.bucket", () -> S3ProxyContainer.bucket("gateway-test"));
		registry.add("gateway.storage.s3.prefix", () -> "images/");
		registry.add("gateway.storage.s3.path-style", () -> "true");
	}

	@Test
	void aFinishedJobsOutputIsKeptInTheBucketAndServedFromItAfterTheUpstreamLinkIsGone() {
		UpstreamStubs.created("ons3a");
		SERVER.stubFor(get("/files/ons3a.jpg")
			.willReturn(aResponse().withHeader("Content-Type", "application/octet-stream").withBody(JPEG)));
		SERVER.stubFor(get(API + "/predictions/ons3a")
			.willReturn(okJson(succeededNow("ons3a", SERVER.baseUrl() + "/files/ons3a.jpg"))));
		createWith(TEAM_A_KEY, UpstreamStubs.simpleRequest()).expectStatus().isCreated();

		JsonNode image = awaitStored("ons3a");
		assertThat(image.path("contentType").asString()).isEqualTo("image/jpeg");
		assertThat(image.path("bytes").asLong()).isEqualTo(JPEG.length);
		try (S3Client bucket = S3ProxyContainer.client()) {
			assertThat(bucket.listObjectsV2((list) -> list.bucket("gateway-test").prefix("images/ons3a/")).contents())
				.extracting(S3Object::key, S3Object::size)
				.containsExactly(Tuple.tuple("images/ons3a/0", (long) JPEG.length));
		}

		SERVER.stubFor(get("/files/ons3a.jpg").willReturn(notFound()));
		byte[] whole = getWith(TEAM_A_KEY, "/images/ons3a/outputs/0").exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("image/jpeg")
			.expectHeader()
			.contentLength(JPEG.length)
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(whole).isEqualTo(JPEG);

		byte[] part = getWith(TEAM_A_KEY, "/images/ons3a/outputs/0").header(HttpHeaders.RANGE, "bytes=100-299")
			.exchange()
			.expectStatus()
			.isEqualTo(206)
			.expectHeader()
			.valueEquals(HttpHeaders.CONTENT_RANGE, "bytes 100-299/" + JPEG.length)
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(part).isEqualTo(Arrays.copyOfRange(JPEG, 100, 300));

		byte[] signed = this.web.get()
			.uri(image.path("signedUrl").asString())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(signed).isEqualTo(JPEG);
	}

	private JsonNode awaitStored(String id) {
		JsonNode[] image = new JsonNode[1];
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			String body = getWith(TEAM_A_KEY, "/images/{id}", id).exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();
			image[0] = UpstreamStub.json(body).path("images").path(0);
			return image[0].path("stored").asBoolean();
		});
		return image[0];
	}

	private static String succeededNow(String id, String output) {
		ObjectNode prediction = (ObjectNode) UpstreamStub
			.json(UpstreamStub.prediction(id, "succeeded", List.of(output)));
		prediction.put("completed_at", Instant.now().toString());
		return prediction.toString();
	}

	private static byte[] jpeg() {
		BufferedImage picture = new BufferedImage(80, 60, BufferedImage.TYPE_INT_RGB);
		for (int x = 0; x < 80; x++) {
			for (int y = 0; y < 60; y++) {
				picture.setRGB(x, y, (x * 3) << 16 | (y * 4) << 8 | (x ^ y));
			}
		}
		try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
			ImageIO.write(picture, "jpeg", out);
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
