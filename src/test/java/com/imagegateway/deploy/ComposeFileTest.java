package com.imagegateway.deploy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import org.yaml.snakeyaml.Yaml;

import com.imagegateway.ImageGatewayApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docker-compose.yml against the application: its variables bind, its ports line up, its
 * secrets come from .env, and its WireMock mappings answer every call the gateway makes —
 * proven by running the gateway with the compose settings against the WireMock image
 * serving the same mapping files.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeFileTest {

	private static final Path COMPOSE = Path.of("docker-compose.yml");

	@Container
	static final GenericContainer<?> upstream = new GenericContainer<>(
			DockerImageName.parse("wiremock/wiremock:3.13.2"))
		.withExposedPorts(8080)
		.withCopyFileToContainer(MountableFile.forHostPath("compose/wiremock"), "/home/wiremock")
		.waitingFor(Wait.forHttp("/__admin/health").forPort(8080));

	@Container
	static final GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse("redis:7.0"))
		.withExposedPorts(6379)
		.waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1));

	@Test
	void everyVariableTheGatewayGetsBindsToARealPropertyAndSecretsComeFromDotEnv() throws IOException {
		Map<String, String> environment = gatewayEnvironment();
		assertThat(environment).isNotEmpty();
		assertThat(environment.keySet()).allSatisfy((variable) -> assertThat(DeploymentFiles.bindsToAProperty(variable))
			.as("%s binds to a property", variable)
			.isTrue());

		String compose = Files.readString(COMPOSE);
		Map<String, String> example = DeploymentFiles.dotEnv(Path.of(".env.example"));
		Matcher references = Pattern.compile("\\$\\{(\\w+)").matcher(compose);
		while (references.find()) {
			assertThat(example).as(".env.example defines " + references.group(1)).containsKey(references.group(1));
		}
		assertThat(compose).doesNotContainPattern("hk-[A-Za-z0-9]").doesNotContainPattern("[0-9a-f]{64}");
		assertThat(environment.get("UPSTREAM_API_KEY")).startsWith("${");
	}

	@Test
	void portsLineUpBetweenTheGatewayTheUpstreamAndPrometheus() throws IOException {
		Map<String, Object> services = services();
		Map<String, String> environment = gatewayEnvironment();
		assertThat(ports("gateway")).contains("8080:8080", "8081:8081");
		assertThat(environment).containsEntry("MANAGEMENT_SERVER_PORT", "8081");
		assertThat(URI.create(environment.get("GATEWAY_UPSTREAM_BASEURL"))).satisfies((base) -> {
			assertThat(services).containsKey(base.getHost());
			assertThat(ports(base.getHost()))
				.anySatisfy((mapping) -> assertThat(mapping).endsWith(":" + base.getPort()));
		});
		assertThat(environment).containsEntry("GATEWAY_STORE_TYPE", "redis");
		assertThat(URI.create(environment.get("SPRING_DATA_REDIS_URL"))).satisfies((url) -> {
			assertThat(services).containsKey(url.getHost());
			assertThat(ports(url.getHost())).anySatisfy((mapping) -> assertThat(mapping).endsWith(":" + url.getPort()));
		});
		String prometheus = Files.readString(Path.of("compose/prometheus.yml"));
		assertThat(prometheus).contains("gateway:8081").contains("metrics_path: /actuator/prometheus");
		// the stand-in's output links point back at the address the gateway called it on,
		// where it can download them
		assertThat(Files.readString(Path.of("compose/wiremock/mappings/03-read.json")))
			.contains("{{request.baseUrl}}/files/out-0.png");
		// stored images live on a volume
		assertThat(environment).containsEntry("GATEWAY_STORAGE_FILESYSTEM_ROOT", "/var/lib/image-gateway/outputs");
	}

	@Test
	void theGatewayWithTheComposeSettingsWorksAgainstTheComposeMappings() throws IOException {
		Map<String, String> environment = new LinkedHashMap<>(gatewayEnvironment());
		Map<String, String> secrets = DeploymentFiles.dotEnv(Path.of(".env.example"));
		environment.replaceAll((name, value) -> resolve(value, secrets));
		String upstreamBase = "http://" + upstream.getHost() + ":" + upstream.getMappedPort(8080);
		environment.put("GATEWAY_UPSTREAM_BASEURL", upstreamBase + "/replicate");
		environment.put("SPRING_DATA_REDIS_URL", "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379));
		environment.put("MANAGEMENT_SERVER_PORT", "0");
		environment.put("SERVER_PORT", "0");
		// the volume's place in the container, a directory of the test's here
		environment.put("GATEWAY_STORAGE_FILESYSTEM_ROOT", Files.createTempDirectory("compose-outputs").toString());
		StandardEnvironment spring = new StandardEnvironment();
		spring.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(
					"compose-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new HashMap<>(environment)));

		try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(ImageGatewayApplication.class)
			.environment(spring)
			.run()) {
			WebTestClient web = WebTestClient.bindToServer()
				.baseUrl("http://localhost:" + gateway.getEnvironment().getRequiredProperty("local.server.port"))
				.defaultHeaders((headers) -> headers.setBearerAuth("local-dev-key"))
				.build();

			String id = created(web, "{\"model\": \"black-forest-labs/flux-schnell\", \"prompt\": \"a harbour\"}");
			// the tracker records the end and stores the image in the background
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(web.get()
					.uri("/images/{id}", id)
					.exchange()
					.expectStatus()
					.isOk()
					.expectBody(String.class)
					.returnResult()
					.getResponseBody()).contains("\"status\":\"succeeded\"").contains("\"stored\":true"));
			byte[] png = web.get()
				.uri("/images/{id}/outputs/0", id)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(byte[].class)
				.returnResult()
				.getResponseBody();
			BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
			assertThat(image).isNotNull();

			created(web,
					"{\"model\": \"lucataco/flux-schnell-lora:2a6b576af31790b470f0a8442e1e9791213fa13799cbb65a9fc1436e96389574\", "
							+ "\"prompt\": \"x\", \"input\": {\"hf_lora\": \"alvdansen/frosting_lane_flux\"}}");

			String toCancel = created(web, "{\"model\": \"black-forest-labs/flux-schnell\", \"prompt\": \"x\"}");
			web.post()
				.uri("/images/{id}/cancel", toCancel)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("canceled");

			WebTestClient.bindToServer()
				.baseUrl("http://localhost:" + gateway.getEnvironment().getRequiredProperty("local.server.port"))
				.defaultHeaders((headers) -> headers.setBearerAuth("sandbox-dev-key"))
				.build()
				.post()
				.uri("/images")
				.header("Prefer", "wait=10")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{\"model\": \"a/b\", \"prompt\": \"x\"}")
				.exchange()
				.expectStatus()
				.isCreated()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("succeeded");

			// the compose stack keeps its jobs in Redis
			assertThat(gateway.getBean(com.imagegateway.images.JobStore.class).getClass().getSimpleName())
				.isEqualTo("RedisJobStore");
		}
	}

	private static String created(WebTestClient web, String body) {
		String job = web.post()
			.uri("/images")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		Matcher id = Pattern.compile("\"id\":\"([a-z0-9]+)\"").matcher(job);
		assertThat(id.find()).as("job id in " + job).isTrue();
		return id.group(1);
	}

	/**
	 * ${NAME}, ${NAME:?message} and ${NAME:-default}, as compose reads them from .env.
	 */
	private static String resolve(String value, Map<String, String> dotEnv) {
		Matcher reference = Pattern.compile("\\$\\{(\\w+)(?::[?-][^}]*)?}").matcher(value);
		return reference.replaceAll((match) -> Matcher.quoteReplacement(dotEnv.getOrDefault(match.group(1), "")));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> services() throws IOException {
		Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE));
		return (Map<String, Object>) compose.get("services");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> gatewayEnvironment() throws IOException {
		Map<String, Object> gateway = (Map<String, Object>) services().get("gateway");
		Map<String, String> environment = new LinkedHashMap<>();
		((Map<String, Object>) gateway.get("environment"))
			.forEach((key, value) -> environment.put(key, String.valueOf(value)));
		return environment;
	}

	@SuppressWarnings("unchecked")
	private static List<String> ports(String service) throws IOException {
		Map<String, Object> definition = (Map<String, Object>) services().get(service);
		return ((List<Object>) definition.get("ports")).stream().map(String::valueOf).toList();
	}

}
