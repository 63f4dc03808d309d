package com.imagegateway.outputs;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.imageio.ImageIO;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import com.imagegateway.GatewayIntegrationTest;
import com.imagegateway.UpstreamStub;
import com.imagegateway.images.UpstreamStubs;

import org.springframework.http.HttpHeaders;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Outputs outlive the upstream's links: the tracker downloads each once, stores it and
 * the gateway serves it, to its owner's key or a signed link. WireMock plays the
 * upstream's file host, and takes the files away again.
 */
class StoredOutputsTest extends GatewayIntegrationTest {

	private static final byte[] PNG = png();

	@Test
	void aJobNobodyReadsIsStoredAndServedByteForByteAfterTheUpstreamLinkIsGone() {
		String id = finishedWith("stored1", file("/files/stored1.png", PNG));
		JsonNode image = awaitSettled(id).path("images").path(0);
		assertThat(image.path("stored").asBoolean()).isTrue();
		assertThat(image.path("contentType").asString()).isEqualTo("image/png");
		assertThat(image.path("bytes").asLong()).isEqualTo(PNG.length);
		assertThat(image.path("expiresAt").isNull()).isTrue();
		assertThat(image.path("url").asString()).endsWith("/images/" + id + "/outputs/0");
		SERVER.verify(1, getRequestedFor(urlEqualTo("/files/stored1.png")));

		SERVER.stubFor(get("/files/stored1.png").willReturn(notFound()));
		byte[] served = getWith(TEAM_A_KEY, "/images/{id}/outputs/0", id).exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("image/png")
			.expectHeader()
			.contentLength(PNG.length)
			.expectHeader()
			.valueEquals(HttpHeaders.CACHE_CONTROL, "max-age=31536000, private, immutable")
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, "\"" + sha256(PNG) + "\"")
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(served).isEqualTo(PNG);
		SERVER.verify(1, getRequestedFor(urlEqualTo("/files/stored1.png")));
	}

	@Test
	void answersConditionalHeadAndRangeRequests() {
		String id = finishedWith("ranged1", file("/files/ranged1.png", PNG));
		awaitSettled(id);
		String path = "/images/" + id + "/outputs/0";
		String etag = "\"" + sha256(PNG) + "\"";

		getWith(TEAM_A_KEY, path).header(HttpHeaders.IF_NONE_MATCH, etag)
			.exchange()
			.expectStatus()
			.isNotModified()
			.expectBody()
			.isEmpty();
		this.web.head()
			.uri(path)
			.headers((headers) -> headers.setBearerAuth(TEAM_A_KEY))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentLength(PNG.length)
			.expectBody()
			.isEmpty();
		byte[] part = getWith(TEAM_A_KEY, path).header(HttpHeaders.RANGE, "bytes=10-19")
			.exchange()
			.expectStatus()
			.isEqualTo(206)
			.expectHeader()
			.valueEquals(HttpHeaders.CONTENT_RANGE, "bytes 10-19/" + PNG.length)
			.expectHeader()
			.contentLength(10)
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(part).isEqualTo(Arrays.copyOfRange(PNG, 10, 20));
		byte[] tail = getWith(TEAM_A_KEY, path).header(HttpHeaders.RANGE, "bytes=-5")
			.exchange()
			.expectStatus()
			.isEqualTo(206)
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(tail).isEqualTo(Arrays.copyOfRange(PNG, PNG.length - 5, PNG.length));
		getWith(TEAM_A_KEY, path).header(HttpHeaders.RANGE, "bytes=" + PNG.length + "-")
			.exchange()
			.expectStatus()
			.isEqualTo(416)
			.expectHeader()
			.valueEquals(HttpHeaders.CONTENT_RANGE, "bytes */" + PNG.length)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("range_not_satisfiable");
		// a range for another version of the image is answered with the whole image
		getWith(TEAM_A_KEY, path).header(HttpHeaders.RANGE, "bytes=0-9")
			.header(HttpHeaders.IF_RANGE, "\"other\"")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentLength(PNG.length);
	}

	@Test
	void theSignedLinkWorksWithoutAKeyUntilItExpiresAndNotWhenTamperedWith() {
		String id = finishedWith("signed1", file("/files/signed1.png", PNG));
		URI signed = URI.create(awaitSettled(id).path("images").path(0).path("signedUrl").asString());
		String path = signed.getPath();
		long expires = Long.parseLong(signed.getQuery().replaceAll(".*expires=(\\d+).*", "$1"));
		assertThat(expires - Instant.now().getEpochSecond()).isBetween(Duration.ofMinutes(55).toSeconds(), 3600L);
		assertThat(signed.getQuery()).contains("signature=" + sign(path, expires));

		byte[] viaLink = this.web.get()
			.uri(path + "?" + signed.getQuery())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(viaLink).isEqualTo(PNG);

		long past = Instant.now().getEpochSecond() - 1;
		this.web.get()
			.uri(path + "?expires={e}&signature={s}", past, sign(path, past))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("signature_expired");
		this.web.get()
			.uri(path + "?expires={e}&signature={s}", expires + 3600, sign(path, expires))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("signature_invalid");
		this.web.get()
			.uri("/images/" + id + "/outputs/1?" + signed.getQuery())
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("signature_invalid");
		this.web.get().uri(path).exchange().expectStatus().isUnauthorized();
		getWith(TEAM_B_KEY, path).exchange().expectStatus().isNotFound();
	}

	@Test
	void anOutputThatIsNotAnImageIsReportedAndNotStored() {
		String id = finishedWith("notimage1", file("/files/notimage1.png", "<html>not an image</html>".getBytes()));

		JsonNode image = awaitSettled(id).path("images").path(0);
		assertThat(image.path("stored").asBoolean()).isFalse();
		assertThat(image.path("notStoredReason").asString()).isEqualTo("not_an_image");
		assertThat(image.path("url").asString()).isEqualTo(SERVER.baseUrl() + "/files/notimage1.png");
		getWith(TEAM_A_KEY, "/images/{id}/outputs/0", id).exchange().expectStatus().isNotFound();
	}

	@Test
	void anOutputOverTheSizeLimitIsReportedAndNotStored() {
		byte[] large = Arrays.copyOf(PNG, 1024 * 1024 + 1); // a PNG header, then more
															// than the 1 MB allowed here
		String id = finishedWith("large1", file("/files/large1.png", large));

		JsonNode image = awaitSettled(id).path("images").path(0);
		assertThat(image.path("stored").asBoolean()).isFalse();
		assertThat(image.path("notStoredReason").asString()).isEqualTo("too_large");
	}

	@Test
	void aDownloadThatFailsOrIsCutOffIsTriedAgainAndTheImageIsNeverServedInPart() {
		String file = "/files/flaky1.png";
		SERVER.stubFor(get(file).inScenario("flaky")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(503))
			.willSetStateTo("cut"));
		SERVER.stubFor(get(file).inScenario("flaky")
			.whenScenarioStateIs("cut")
			.willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE))
			.willSetStateTo("whole"));
		SERVER.stubFor(get(file).inScenario("flaky")
			.whenScenarioStateIs("whole")
			.willReturn(aResponse().withHeader("Content-Type", "image/png").withBody(PNG)));
		String id = finishedWith("flaky1", SERVER.baseUrl() + file);

		await().atMost(Duration.ofSeconds(2))
			.until(() -> SERVER.findAll(getRequestedFor(urlEqualTo(file))).size() >= 1);
		getWith(TEAM_A_KEY, "/images/{id}/outputs/0", id).exchange().expectStatus().isNotFound();
		JsonNode image = awaitSettled(id).path("images").path(0);
		assertThat(image.path("stored").asBoolean()).isTrue();
		assertThat(SERVER.findAll(getRequestedFor(urlEqualTo(file)))).hasSize(3);
		byte[] served = getWith(TEAM_A_KEY, "/images/{id}/outputs/0", id).exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(served).isEqualTo(PNG);
	}

	@Test
	void anOutputWhoseLinkIsGoneIsLostAtOnce() {
		SERVER.stubFor(get("/files/gone1.png").willReturn(aResponse().withStatus(410)));
		String id = finishedWith("gone1", SERVER.baseUrl() + "/files/gone1.png");

		JsonNode image = awaitSettled(id).path("images").path(0);
		assertThat(image.path("stored").asBoolean()).isFalse();
		assertThat(image.path("notStoredReason").asString()).isEqualTo("lost");
		SERVER.verify(1, getRequestedFor(urlEqualTo("/files/gone1.png")));
	}

	@Test
	void preferWaitAnswersWithTheStoredImage() {
		UpstreamStubs.created("held1");
		SERVER.stubFor(get(API + "/predictions/held1")
			.willReturn(okJson(succeededNow("held1", file("/files/held1.png", PNG)))));

		postWith(TEAM_A_KEY, "/images").header("Prefer", "wait=10")
			.header(HttpHeaders.CONTENT_TYPE, "application/json")
			.bodyValue(UpstreamStubs.simpleRequest())
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("succeeded")
			.jsonPath("$.images[0].stored")
			.isEqualTo(true)
			.jsonPath("$.images[0].signedUrl")
			.isNotEmpty();
	}

	/** Creates a job whose first read answers it succeeded now, with these outputs. */
	private String finishedWith(String id, String... outputs) {
		UpstreamStubs.created(id);
		SERVER.stubFor(get(API + "/predictions/" + id).willReturn(okJson(succeededNow(id, outputs))));
		createWith(TEAM_A_KEY, UpstreamStubs.simpleRequest()).expectStatus().isCreated();
		return id;
	}

	private JsonNode awaitSettled(String id) {
		JsonNode[] job = new JsonNode[1];
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			String body = getWith(TEAM_A_KEY, "/images/{id}", id).exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();
			job[0] = UpstreamStub.json(body);
			JsonNode image = job[0].path("images").path(0);
			return image.path("stored").asBoolean() || !image.path("notStoredReason").isNull();
		});
		return job[0];
	}

	private static String file(String path, byte[] bytes) {
		SERVER.stubFor(get(path).willReturn(aResponse().withHeader("Content-Type", "image/png").withBody(bytes)));
		return SERVER.baseUrl() + path;
	}

	private static String succeededNow(String id, String... outputs) {
		ObjectNode prediction = (ObjectNode) UpstreamStub
			.json(UpstreamStub.prediction(id, "succeeded", List.of(outputs)));
		prediction.put("completed_at", Instant.now().toString());
		return prediction.toString();
	}

	/**
	 * The signature scheme, written out again here: HMAC-SHA256 of "path\nexpires",
	 * base64url.
	 */
	private static String sign(String path, long expires) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec("test-signing-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(mac.doFinal((path + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String sha256(byte[] bytes) {
		try {
			return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] png() {
		BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
		for (int x = 0; x < 64; x++) {
			for (int y = 0; y < 48; y++) {
				image.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | ((x + y) * 2));
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
