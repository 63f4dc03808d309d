package com.imagegateway.deploy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import javax.imageio.ImageIO;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's own image, built from the Dockerfile ({@code .ci/run} builds it as
 * {@code localhost/image-gateway:ci}; {@code IMAGE_GATEWAY_IMAGE} names another), run as
 * Kubernetes runs it: read-only root filesystem, a writable /tmp only.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerImageTest {

	private static final String CALLER_KEY = "container-test-key";

	@Test
	void theImageRunsAsNonRootOnAReadOnlyRootAndServesASandboxImageEndToEnd() throws Exception {
		DockerImageName image = DockerImageName
			.parse(System.getenv().getOrDefault("IMAGE_GATEWAY_IMAGE", "localhost/image-gateway:ci"));
		requireImage(image);
		try (GenericContainer<?> gateway = new GenericContainer<>(image).withExposedPorts(8080, 8081)
			.withEnv(Map.of("GATEWAY_CLIENTS_CI_KEYSHA256", sha256(CALLER_KEY), "GATEWAY_CLIENTS_CI_SANDBOX", "true",
					// says whether the JVM took its classes from the image's AOT cache
					"JAVA_TOOL_OPTIONS", "-Xlog:aot=info"))
			.withCreateContainerCmdModifier((create) -> create.getHostConfig().withReadonlyRootfs(true))
			.withTmpFs(Map.of("/tmp", "rw"))
			.waitingFor(Wait.forHttp("/actuator/health/readiness")
				.forPort(8081)
				.withStartupTimeout(Duration.ofMinutes(2)))) {
			long starting = System.nanoTime();
			gateway.start();
			System.out.printf("container ready: %d ms from start to readiness (%s)%n",
					(System.nanoTime() - starting) / 1_000_000, image);

			assertThat(gateway.execInContainer("id", "-u").getStdout().strip()).isNotEqualTo("0");
			assertThat(gateway.getLogs()).contains("Started ImageGatewayApplication")
				.as("the start-up the image was trained for: classes loaded and linked from its AOT cache")
				.contains("Opened AOT cache app.aot");

			WebTestClient api = WebTestClient.bindToServer()
				.baseUrl("http://" + gateway.getHost() + ":" + gateway.getMappedPort(8080))
				.responseTimeout(Duration.ofSeconds(30))
				.build();
			String job = api.post()
				.uri("/images")
				.headers((headers) -> headers.setBearerAuth(CALLER_KEY))
				.header("Prefer", "wait=20")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(
						"{\"model\": \"black-forest-labs/flux-schnell\", \"prompt\": \"a harbour\", \"outputFormat\": \"png\"}")
				.exchange()
				.expectStatus()
				.isCreated()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();
			assertThat(job).contains("\"status\":\"succeeded\"");
			// stored by the gateway in the container's temporary directory, fetched
			// through its signed link
			assertThat(job).contains("\"stored\":true");
			String url = job.replaceAll(".*\"signedUrl\":\"([^\"]+)\".*", "$1");
			byte[] png = api.get()
				.uri(URI.create(url))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(byte[].class)
				.returnResult()
				.getResponseBody();
			BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
			assertThat(decoded).isNotNull();
			WebTestClient.bindToServer()
				.baseUrl("http://" + gateway.getHost() + ":" + gateway.getMappedPort(8081))
				.build()
				.get()
				.uri("/actuator/prometheus")
				.exchange()
				.expectStatus()
				.isOk();
		}
	}

	private static void requireImage(DockerImageName image) {
		try {
			DockerClientFactory.instance().client().inspectImageCmd(image.asCanonicalNameString()).exec();
		}
		catch (NotFoundException missing) {
			if ("true".equals(System.getenv("CI"))) {
				throw new IllegalStateException("CI must build " + image + " before the tests (see .ci/run)", missing);
			}
			Assumptions.abort(image + " is not built; build it with: buildah bud --layers -t image-gateway:ci .");
		}
	}

	private static String sha256(String value) throws NoSuchAlgorithmException {
		return HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
	}

}
