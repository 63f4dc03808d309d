package com.imagegateway.openai;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import javax.imageio.ImageIO;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.images.Image;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import com.imagegateway.Concurrently;
import com.imagegateway.GatewayIntegrationTest;
import com.imagegateway.UpstreamStub;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * OpenAI's own Java SDK ({@code com.openai:openai-java}) as the caller: pointed at the
 * gateway's {@code /v1} with a client's key, it generates images that the gateway made as
 * ordinary jobs and stored, and meets the gateway's refusals as its own exception types.
 */
class OpenAiSdkTest extends GatewayIntegrationTest {

	private static final String MODELS = API + "/models/.+/.+/predictions";

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry registry;

	@Test
	void twoImagesOfTheAskedSizeComeBackAsTheStoredBytesAndAsSignedLinks() {
		byte[] first = png(96, 64);
		byte[] second = png(96, 64);
		created("oai1");
		SERVER.stubFor(get(API + "/predictions/oai1").willReturn(
				okJson(succeeded("oai1", file("/files/oai1-0.png", first), file("/files/oai1-1.png", second)))));

		ImagesResponse answer = sdk(TEAM_A_KEY).images()
			.generate(ImageGenerateParams.builder()
				.prompt("a lighthouse at dawn")
				.model("flux-schnell")
				.n(2)
				.size(ImageGenerateParams.Size._1536X1024)
				.responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON)
				.build());

		List<Image> images = answer.data().orElseThrow();
		assertThat(images).hasSize(2);
		assertThat(Base64.getDecoder().decode(images.get(0).b64Json().orElseThrow())).isEqualTo(first);
		assertThat(Base64.getDecoder().decode(images.get(1).b64Json().orElseThrow())).isEqualTo(second);
		assertThat(images).allSatisfy((image) -> assertThat(image.url()).isEmpty());
		// one job of two images, at the nearest ratio and megapixels flux-schnell takes
		JsonNode input = createdInputs().getFirst();
		assertThat(input.path("num_outputs").asInt()).isEqualTo(2);
		assertThat(input.path("aspect_ratio").asString()).isEqualTo("3:2");
		assertThat(input.path("megapixels").asString()).isEqualTo("1");
		assertThat(input.path("output_format").asString()).isEqualTo("png");

		ImagesResponse linked = sdk(TEAM_A_KEY).images()
			.generate(ImageGenerateParams.builder()
				.prompt("a lighthouse at dawn")
				.model("flux-schnell")
				.n(2)
				.size(ImageGenerateParams.Size._1536X1024)
				.putAdditionalHeader("Idempotency-Key", "links-of-oai1")
				.build());
		List<Image> links = linked.data().orElseThrow();
		assertThat(links).allSatisfy((image) -> assertThat(image.b64Json()).isEmpty());
		// a signed link to the stored image, which works without a key
		assertThat(download(links.get(0).url().orElseThrow())).isEqualTo(first);
		assertThat(links.get(0).url().orElseThrow()).contains("/images/").contains("signature=");
	}

	@Test
	void moreImagesThanTheModelMakesAtOnceAreSeveralJobsJoinedNeverFewer() {
		// told apart by what they ask for, not by their order: the two creates are sent
		// at
		// once (a scenario answered both "fan1" when they crossed in CI)
		SERVER.stubFor(
				post(urlPathMatching(MODELS)).withRequestBody(matchingJsonPath("$.input.num_outputs", equalTo("4")))
					.willReturn(okJson(UpstreamStub.prediction("fan1", "starting", null)).withStatus(201)));
		SERVER.stubFor(
				post(urlPathMatching(MODELS)).withRequestBody(matchingJsonPath("$.input.num_outputs", equalTo("2")))
					.willReturn(okJson(UpstreamStub.prediction("fan2", "starting", null)).withStatus(201)));
		byte[] image = png(64, 64);
		SERVER.stubFor(get(API + "/predictions/fan1").willReturn(okJson(succeeded("fan1",
				IntStream.range(0, 4)
					.mapToObj((i) -> file("/files/fan1-" + i + ".png", image))
					.toArray(String[]::new)))));
		SERVER.stubFor(get(API + "/predictions/fan2").willReturn(okJson(succeeded("fan2",
				IntStream.range(0, 2)
					.mapToObj((i) -> file("/files/fan2-" + i + ".png", image))
					.toArray(String[]::new)))));

		ImagesResponse answer = sdk(TEAM_A_KEY).images()
			.generate(ImageGenerateParams.builder().prompt("six lighthouses").model("flux-schnell").n(6).build());

		assertThat(answer.data().orElseThrow()).hasSize(6);
		assertThat(createdInputs()).extracting((input) -> input.path("num_outputs").asInt())
			.containsExactlyInAnyOrder(4, 2);
		// ordinary jobs, listed on /images
		getWith(TEAM_A_KEY, "/images/fan1").exchange().expectStatus().isOk();
		getWith(TEAM_A_KEY, "/images/fan2").exchange().expectStatus().isOk();
	}

	@Test
	void aSandboxClientGetsRealImagesOfTheAskedShapeEndToEnd() {
		ImagesResponse answer = sdk(SANDBOX_KEY).images()
			.generate(ImageGenerateParams.builder()
				.prompt("a lighthouse")
				.n(2)
				.size(ImageGenerateParams.Size._1024X1536)
				.responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON)
				.build());

		assertThat(answer.data().orElseThrow()).hasSize(2).allSatisfy((image) -> {
			BufferedImage decoded = decode(Base64.getDecoder().decode(image.b64Json().orElseThrow()));
			// 2:3, to the pixel the sandbox rounds its long side of 256 to
			assertThat(decoded.getWidth() / (double) decoded.getHeight()).isCloseTo(2 / 3.0,
					org.assertj.core.api.Assertions.within(0.01));
		});
	}

	@Test
	void theGatewaysRefusalsAreTheSdksOwnExceptions() {
		assertThatExceptionOfType(UnauthorizedException.class).isThrownBy(
				() -> sdk("not-a-key").images().generate(ImageGenerateParams.builder().prompt("a lighthouse").build()));
		// team-b may use flux-schnell only
		assertThatExceptionOfType(PermissionDeniedException.class).isThrownBy(() -> sdk(TEAM_B_KEY).images()
			.generate(ImageGenerateParams.builder().prompt("a lighthouse").model("flux-lora").build()));
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> sdk(TEAM_A_KEY).images()
			.generate(ImageGenerateParams.builder().prompt("a lighthouse").model("no-such-model").build()));
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> sdk(TEAM_A_KEY).images()
				.generate(ImageGenerateParams.builder()
					.prompt("a lighthouse")
					.putAdditionalBodyProperty("strength", JsonValue.from(0.5))
					.build()))
			.satisfies((refused) -> assertThat(refused.body().toString()).contains("strength"));
		SERVER.verify(0, postRequestedFor(urlPathMatching(MODELS)));
	}

	@Test
	void overTheRateLimitIsTheSdksRateLimitExceptionWithRetryAfter() {
		created("oai-limited1");
		SERVER.stubFor(get(API + "/predictions/oai-limited1")
			.willReturn(okJson(succeeded("oai-limited1", file("/files/oai-limited1.png", png(8, 8))))));
		sdk(OPENAI_LIMITED_KEY).images().generate(ImageGenerateParams.builder().prompt("one").build());

		assertThatExceptionOfType(RateLimitException.class).isThrownBy(
				() -> sdk(OPENAI_LIMITED_KEY).images().generate(ImageGenerateParams.builder().prompt("two").build()))
			.satisfies((refused) -> assertThat(refused.headers().values("Retry-After")).isNotEmpty());
	}

	@Test
	void theSdksRetryAfterADroppedConnectionCreatesOneJob() {
		created("retried1");
		SERVER.stubFor(get(API + "/predictions/retried1").inScenario("retried")
			.whenScenarioStateIs(STARTED)
			.willReturn(okJson(UpstreamStub.prediction("retried1", "processing", null))));
		SERVER.stubFor(get(API + "/predictions/retried1").inScenario("retried")
			.whenScenarioStateIs("done")
			.willReturn(okJson(succeeded("retried1", file("/files/retried1.png", png(8, 8))))));
		double before = generations();
		// the SDK gives up on an answer after 2 s, and tries again with the same key
		OpenAIClient impatient = OpenAIOkHttpClient.builder()
			.baseUrl("http://localhost:" + this.port + "/v1")
			.apiKey(TEAM_A_KEY)
			.timeout(Duration.ofSeconds(2))
			.maxRetries(2)
			.build();

		CompletableFuture<ImagesResponse> answer = CompletableFuture.supplyAsync(() -> impatient.images()
			.generate(ImageGenerateParams.builder()
				.prompt("a lighthouse")
				.putAdditionalHeader("Idempotency-Key", "sdk-retry-1")
				.build()), Concurrently.CONCURRENTLY);
		// the first try ended (the SDK dropped it): only now does the job finish
		await().atMost(Duration.ofSeconds(30)).until(() -> generations() > before);
		SERVER.setScenarioState("retried", "done");

		assertThat(answer.join().data().orElseThrow()).hasSize(1);
		SERVER.verify(1, postRequestedFor(urlPathMatching(MODELS)));
	}

	/** Generation requests the gateway has finished with (answered or dropped). */
	private double generations() {
		return this.registry.find("http.server.requests")
			.tag("operation", "createOpenAiImage")
			.timers()
			.stream()
			.mapToLong((timer) -> timer.count())
			.sum();
	}

	private OpenAIClient sdk(String key) {
		return OpenAIOkHttpClient.builder()
			.baseUrl("http://localhost:" + this.port + "/v1")
			.apiKey(key)
			.maxRetries(0)
			.build();
	}

	private static List<JsonNode> createdInputs() {
		return SERVER.findAll(postRequestedFor(urlPathMatching(MODELS)))
			.stream()
			.map(LoggedRequest::getBodyAsString)
			.map((body) -> UpstreamStub.json(body).path("input"))
			.toList();
	}

	private static void created(String id) {
		SERVER.stubFor(post(urlPathMatching(MODELS))
			.willReturn(okJson(UpstreamStub.prediction(id, "starting", null)).withStatus(201)));
	}

	private static String succeeded(String id, String... outputs) {
		ObjectNode prediction = (ObjectNode) UpstreamStub
			.json(UpstreamStub.prediction(id, "succeeded", List.of(outputs)));
		prediction.put("completed_at", java.time.Instant.now().toString());
		return prediction.toString();
	}

	private static String file(String path, byte[] bytes) {
		SERVER.stubFor(get(path).willReturn(aResponse().withHeader("Content-Type", "image/png").withBody(bytes)));
		return SERVER.baseUrl() + path;
	}

	private static byte[] download(String url) {
		try {
			HttpResponse<byte[]> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
			assertThat(response.statusCode()).isEqualTo(200);
			return response.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static BufferedImage decode(byte[] bytes) {
		try {
			BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
			assertThat(image).as("a decodable image").isNotNull();
			return image;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A PNG of its own colour each time, so that two are never the same bytes. */
	private static byte[] png(int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		int colour = (int) (System.nanoTime() & 0xFFFFFF);
		for (int x = 0; x < width; x++) {
			for (int y = 0; y < height; y++) {
				image.setRGB(x, y, colour ^ (x * y));
			}
		}
		try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
			ImageIO.write(image, "png", out);
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
