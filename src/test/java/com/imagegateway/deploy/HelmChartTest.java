package com.imagegateway.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.imagegateway.ImageGatewayApplication;
import com.imagegateway.clients.ClientBudget;
import com.imagegateway.clients.ClientRegistry;
import com.imagegateway.clients.AdminProperties;
import com.imagegateway.spend.PricingProperties;
import com.imagegateway.clients.GatewayClient;
import com.imagegateway.storage.OutputStorage;
import com.imagegateway.upstream.UpstreamProperties;
import com.imagegateway.webhooks.WebhookSecrets;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.imagegateway.deploy.Helm.at;
import static com.imagegateway.deploy.Helm.has;
import static com.imagegateway.deploy.Helm.kind;
import static com.imagegateway.deploy.Helm.named;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What matters in the rendered chart, with the default values, with
 * ci/production-values.yaml and with ci/s3-values.yaml on top of it.
 */
class HelmChartTest {

	private static final String PRODUCTION = "helm/image-gateway/ci/production-values.yaml";

	private static final String S3 = "helm/image-gateway/ci/s3-values.yaml";

	private static final String CONFIG = "release-image-gateway";

	private static final String CLIENTS = "release-image-gateway-clients";

	@Test
	void theGrafanaDashboardIsAConfigMapForGrafanasSidecarOnlyWhenEnabled() throws Exception {
		String name = "release-image-gateway-dashboard";
		assertThat(Helm.template()).noneMatch((document) -> name.equals(at(document, "metadata", "name")));

		Map<String, Object> dashboard = named(Helm.template("--set", "grafanaDashboard.enabled=true", "--set",
				"grafanaDashboard.namespace=monitoring", "--set",
				"grafanaDashboard.annotations.grafana_folder=Platform"), "ConfigMap", name);
		assertThat((String) at(dashboard, "metadata", "labels", "grafana_dashboard")).isEqualTo("1");
		assertThat((String) at(dashboard, "metadata", "namespace")).isEqualTo("monitoring");
		assertThat((String) at(dashboard, "metadata", "annotations", "grafana_folder")).isEqualTo("Platform");
		JsonMapper json = JsonMapper.builder().build();
		assertThat(json.readTree((String) at(dashboard, "data", "image-gateway.json")))
			.isEqualTo(json.readTree(Files.readString(DashboardQueriesTest.DASHBOARD)));
		// a ConfigMap holds at most 1 MiB, and kubectl apply keeps a copy in a 256 KiB
		// annotation
		assertThat(Files.size(DashboardQueriesTest.DASHBOARD)).isLessThan(200 * 1024);
	}

	@Test
	void probesPointAtTheManagementPortsHealthGroups() throws Exception {
		Map<String, Object> container = container(Helm.template());

		assertThat((String) at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
		assertThat((String) at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
		assertThat((String) at(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
		for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
			assertThat((String) at(container, probe, "httpGet", "port")).isEqualTo("management");
		}
		List<Map<String, Object>> ports = at(container, "ports");
		assertThat(ports).anySatisfy(
				(port) -> assertThat(port).containsEntry("name", "management").containsEntry("containerPort", 8081));
		assertThat(env(container)).containsEntry("MANAGEMENT_SERVER_PORT", "8081");
	}

	@Test
	void podsRunLockedDownAndOutlastTheLongestHeldRequest() throws Exception {
		List<Map<String, Object>> manifests = Helm.template();
		Map<String, Object> pod = at(kind(manifests, "Deployment"), "spec", "template", "spec");
		Map<String, Object> container = container(manifests);

		assertThat((Boolean) at(pod, "securityContext", "runAsNonRoot")).isTrue();
		assertThat((Boolean) at(container, "securityContext", "readOnlyRootFilesystem")).isTrue();
		assertThat((Boolean) at(container, "securityContext", "allowPrivilegeEscalation")).isFalse();
		assertThat((List<String>) at(container, "securityContext", "capabilities", "drop")).containsExactly("ALL");
		assertThat((List<Map<String, Object>>) at(pod, "volumes"))
			.anySatisfy((volume) -> assertThat(volume).containsEntry("name", "tmp").containsKey("emptyDir"));
		int preStop = at(container, "lifecycle", "preStop", "sleep", "seconds");
		assertThat((Integer) at(pod, "terminationGracePeriodSeconds")).isGreaterThan(preStop + 60);
		assertThat((List<?>) at(pod, "topologySpreadConstraints")).hasSize(2);
		assertThat(has(manifests, "HorizontalPodAutoscaler")).isFalse();
	}

	@Test
	void productionValuesRenderEveryOptionalObjectWiredToTheRightPorts() throws Exception {
		List<Map<String, Object>> manifests = Helm.template("-f", PRODUCTION);

		assertThat((Object) at(kind(manifests, "Deployment"), "spec", "replicas")).as("the HPA owns replicas").isNull();
		assertThat((Integer) at(kind(manifests, "HorizontalPodAutoscaler"), "spec", "minReplicas")).isEqualTo(3);
		assertThat((Integer) at(kind(manifests, "PodDisruptionBudget"), "spec", "minAvailable")).isEqualTo(2);
		assertThat((String) at(kind(manifests, "ServiceMonitor"), "spec", "endpoints", "0", "port"))
			.isEqualTo("management");
		assertThat((String) at(kind(manifests, "ServiceMonitor"), "spec", "endpoints", "0", "path"))
			.isEqualTo("/actuator/prometheus");
		assertThat((String) at(kind(manifests, "Ingress"), "spec", "rules", "0", "http", "paths", "0", "backend",
				"service", "port", "name"))
			.isEqualTo("http");
		assertThat(has(manifests, "NetworkPolicy")).isTrue();
		assertThat(manifests).as("keys come from the existing Secret")
			.noneSatisfy(
					(document) -> assertThat(document.toString()).contains("name=release-image-gateway-upstream-keys"));
		assertThat(at(container(manifests), "env").toString())
			.contains("name=image-gateway-upstream-keys, key=marketing");
		// a client's webhook secret: from its Secret into the environment, which the
		// configuration names
		assertThat(at(container(manifests), "env").toString())
			.contains("name=WEBHOOK_SECRET_TEAM_A, valueFrom={secretKeyRef={name=team-a-webhooks, key=whsec}}");
		assertThat(at(named(manifests, "ConfigMap", CLIENTS), "data").toString())
			.contains("webhook-secret: ${WEBHOOK_SECRET_TEAM_A}");
	}

	@Test
	void theSchemaRefusesSeveralReplicasOrAutoscalingWithTheMemoryStore() throws Exception {
		assertThat(Helm.refusal("--set", "replicaCount=2")).contains("/replicaCount");
		assertThat(Helm.refusal("--set", "autoscaling.enabled=true")).contains("/autoscaling/enabled");
		assertThat(Helm.refusal("--set", "gateway.store.type=redis")).contains("/redis/url");
		assertThat(Helm.refusal("--set", "gateway.store.type=disk")).contains("/gateway/store/type");
		// several replicas share the images volume: not on a claim only one node can
		// mount
		assertThat(Helm.refusal("--set", "gateway.store.type=redis", "--set", "redis.url=redis://redis:6379", "--set",
				"replicaCount=3"))
			.contains("/outputs/persistence/accessModes");
		assertThat(Helm.template("--set", "gateway.store.type=redis", "--set", "redis.url=redis://redis:6379", "--set",
				"replicaCount=3", "--set", "outputs.persistence.accessModes={ReadWriteMany}"))
			.isNotEmpty();
		assertThat(Helm.template("--set", "gateway.store.type=redis", "--set", "redis.url=redis://redis:6379", "--set",
				"replicaCount=3", "--set", "outputs.persistence.existingClaim=shared-images"))
			.isNotEmpty();
	}

	@Test
	void storedImagesLiveOnAClaimAndTheirLinksAreSignedWithAKeyFromASecret() throws Exception {
		List<Map<String, Object>> manifests = Helm.template();

		Map<String, Object> claim = kind(manifests, "PersistentVolumeClaim");
		assertThat(at(claim, "spec", "accessModes").toString()).isEqualTo("[ReadWriteOnce]");
		assertThat(at(container(manifests), "volumeMounts").toString())
			.contains("name=outputs, mountPath=/var/lib/image-gateway/outputs");
		assertThat((String) at(named(manifests, "ConfigMap", CONFIG), "data", "application.yaml"))
			.contains("root: /var/lib/image-gateway/outputs");
		assertThat(at(container(manifests), "env").toString()).contains("GATEWAY_STORAGE_SIGNINGSECRET")
			.contains("image-gateway-signing");
		assertThat(manifests).anySatisfy((manifest) -> assertThat(manifest.toString()).contains("kind=Secret")
			.contains("-image-gateway-signing")
			.contains("signing-secret="));
		// with a claim of the cluster's, the chart makes none
		assertThat(Helm.template("--set", "outputs.persistence.existingClaim=shared-images").toString())
			.doesNotContain("kind=PersistentVolumeClaim")
			.contains("claimName=shared-images");
	}

	@Test
	void withS3StorageImagesGoToTheBucketAndNoReplicaNeedsAVolume() throws Exception {
		List<Map<String, Object>> manifests = Helm.template("-f", PRODUCTION, "-f", S3);

		assertThat(has(manifests, "PersistentVolumeClaim")).isFalse();
		assertThat(at(container(manifests), "volumeMounts").toString()).doesNotContain("name=outputs");
		assertThat((String) at(named(manifests, "ConfigMap", CONFIG), "data", "application.yaml")).contains("type: s3")
			.contains("bucket: generated-images")
			.contains("prefix: image-gateway/")
			.contains("region: eu-central-1")
			.doesNotContain("endpoint:")
			.doesNotContain("/var/lib/image-gateway/outputs");
		// downloads are staged in /tmp before they are uploaded
		Map<String, Object> pod = at(kind(manifests, "Deployment"), "spec", "template", "spec");
		assertThat((List<Map<String, Object>>) at(pod, "volumes"))
			.anySatisfy((volume) -> assertThat(volume.toString()).contains("name=tmp").contains("sizeLimit=1Gi"));
		// credentials: by default the SDK's chain, here web identity through the
		// ServiceAccount's role
		assertThat(at(kind(manifests, "ServiceAccount"), "metadata", "annotations").toString())
			.contains("eks.amazonaws.com/role-arn");
		assertThat(at(container(manifests), "env").toString()).doesNotContain("AWS_ACCESS_KEY_ID");
		assertThat(at(container(Helm.template("-f", PRODUCTION, "-f", S3, "--set",
				"gateway.storage.s3.credentialsSecret=image-gateway-s3")), "env")
			.toString())
			.contains("name=AWS_ACCESS_KEY_ID, valueFrom={secretKeyRef={name=image-gateway-s3, key=AWS_ACCESS_KEY_ID}}")
			.contains(
					"name=AWS_SECRET_ACCESS_KEY, valueFrom={secretKeyRef={name=image-gateway-s3, key=AWS_SECRET_ACCESS_KEY}}");
		assertThat(Helm.refusal("--set", "gateway.storage.type=s3")).contains("/gateway/storage/s3/bucket");
	}

	@Test
	void productionValuesShareRedisWithThePasswordFromItsSecret() throws Exception {
		List<Map<String, Object>> manifests = Helm.template("-f", PRODUCTION);

		assertThat((String) at(named(manifests, "ConfigMap", CONFIG), "data", "application.yaml"))
			.contains("type: redis");
		assertThat(env(container(manifests))).containsEntry("SPRING_DATA_REDIS_URL",
				"rediss://redis-master.platform.svc.cluster.local:6379");
		assertThat(at(container(manifests), "env").toString()).contains(
				"name=SPRING_DATA_REDIS_PASSWORD, valueFrom={secretKeyRef={name=image-gateway-redis, key=redis-password}}");
	}

	@Test
	void upstreamKeysLiveInTheSecretAndNeverInTheConfigMap() throws Exception {
		List<Map<String, Object>> manifests = Helm.template("--set",
				"upstreamKeys.values.default=hk-chart-test-secret");

		Map<String, Object> secret = named(manifests, "Secret", "release-image-gateway-upstream-keys");
		assertThat(new String(Base64.getDecoder().decode((String) at(secret, "data", "default"))))
			.isEqualTo("hk-chart-test-secret");
		assertThat(named(manifests, "ConfigMap", CONFIG).toString()).doesNotContain("hk-chart-test-secret");
		assertThat(kind(manifests, "Deployment").toString()).doesNotContain("hk-chart-test-secret");
		assertThat(at(container(manifests), "env").toString()).contains("GATEWAY_UPSTREAM_KEYS_DEFAULT")
			.contains("secretKeyRef");
	}

	@Test
	void aValuesChangeChangesTheChecksumThatRollsThePods() throws Exception {
		String before = checksum(Helm.template("-f", PRODUCTION), "checksum/config");
		String same = checksum(Helm.template("-f", PRODUCTION), "checksum/config");
		String after = checksum(Helm.template("-f", PRODUCTION, "--set", "gateway.store.retention=10d"),
				"checksum/config");
		String rotated = checksum(Helm.template("--set", "upstreamKeys.values.default=hk-new"), "checksum/secret");
		String original = checksum(Helm.template("--set", "upstreamKeys.values.default=hk-old"), "checksum/secret");

		assertThat(same).isEqualTo(before);
		assertThat(after).isNotEqualTo(before);
		assertThat(rotated).isNotEqualTo(original);
	}

	@Test
	void addingChangingOrRemovingAClientRollsNoPodButChangesTheMountedClients() throws Exception {
		List<Map<String, Object>> before = Helm.template("-f", PRODUCTION);
		List<Map<String, Object>> after = Helm.template("-f", PRODUCTION, "--set",
				"gateway.clients.new-team.keySha256=" + "ab".repeat(32), "--set",
				"gateway.clients.team-a.limits.creates.permits=5");

		assertThat(kind(after, "Deployment")).isEqualTo(kind(before, "Deployment"));
		String clients = (String) at(named(after, "ConfigMap", CLIENTS), "data", "clients.yaml");
		assertThat(clients).contains("new-team:").contains("permits: 5");
		assertThat(clients).as("hashes go to the Secret").doesNotContain("key-sha256");
		String hashes = new String(
				Base64.getDecoder().decode((String) at(named(after, "Secret", CLIENTS), "data", "clients.yaml")));
		assertThat(hashes).contains("new-team:\n  key-sha256: " + "ab".repeat(32));
	}

	@Test
	void theClientsAreMountedAsWholeDirectoriesTheGatewayReadsAgain() throws Exception {
		List<Map<String, Object>> manifests = Helm.template("-f", PRODUCTION);

		assertThat(at(container(manifests), "volumeMounts").toString())
			.contains("name=clients, mountPath=/etc/image-gateway/clients")
			.contains("name=client-keys, mountPath=/etc/image-gateway/client-keys")
			.doesNotContain("subPath");
		assertThat((String) at(named(manifests, "ConfigMap", CONFIG), "data", "application.yaml"))
			.contains("- /etc/image-gateway/clients/clients.yaml")
			.contains("- /etc/image-gateway/client-keys/clients.yaml")
			.contains("clients-file-check-interval: 2s")
			.doesNotContain("key-sha256");
		// an operator's own Secret of hashes and webhook secrets replaces the chart's
		List<Map<String, Object>> existing = Helm.template("-f", PRODUCTION, "--set",
				"gateway.clientsSecret.existingSecret=team-keys");
		assertThat(existing).noneSatisfy((document) -> {
			assertThat(document.get("kind")).isEqualTo("Secret");
			assertThat((String) at(document, "metadata", "name")).isEqualTo(CLIENTS);
		});
		assertThat(at(kind(existing, "Deployment"), "spec", "template", "spec", "volumes").toString())
			.contains("name=client-keys, secret={secretName=team-keys}");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "filesystem", "s3" })
	void theRenderedApplicationYamlBindsInTheApplication(String storage, @TempDir Path config) throws Exception {
		List<Map<String, Object>> manifests = storage.equals("s3") ? Helm.template("-f", PRODUCTION, "-f", S3)
				: Helm.template("-f", PRODUCTION);
		Files.writeString(config.resolve("application.yaml"),
				(String) at(named(manifests, "ConfigMap", CONFIG), "data", "application.yaml"));
		Path clients = config.resolve("clients.yaml");
		Files.writeString(clients, (String) at(named(manifests, "ConfigMap", CLIENTS), "data", "clients.yaml"));
		Path hashes = config.resolve("client-keys.yaml");
		Files.write(hashes,
				Base64.getDecoder().decode((String) at(named(manifests, "Secret", CLIENTS), "data", "clients.yaml")));
		Map<String, Object> environment = new HashMap<>(env(container(manifests)));
		environment.put("SPRING_CONFIG_ADDITIONAL_LOCATION", "file:" + config + "/");
		// where the pod mounts them
		environment.put("GATEWAY_CLIENTSFILE", clients + "," + hashes);
		environment.put("GATEWAY_UPSTREAM_KEYS_DEFAULT", "hk-from-secret-1");
		environment.put("GATEWAY_UPSTREAM_KEYS_MARKETING", "hk-from-secret-2");
		environment.put("GATEWAY_UPSTREAM_KEYS_BACKUP_KEY", "hk-from-secret-3");
		environment.put("WEBHOOK_SECRET_TEAM_A", "whsec_dGVhbS1hIHNpZ25zIGl0cyB3ZWJob29rcyB3aXRoIHRoaXM=");
		environment.put("GATEWAY_UPSTREAM_WEBHOOKSECRET", "whsec_dGhlIHVwc3RyZWFtIHNpZ25zIGl0cyBjYWxsYmFja3M=");
		environment.put("GATEWAY_ADMIN_KEYSHA256", "2551e0d1307449b4526e89b0c6f7af6cbc3c7b8fabab46b3c0d821a3ff1c9978");
		environment.put("MANAGEMENT_SERVER_PORT", "0");
		environment.put("SERVER_PORT", "0");
		StandardEnvironment spring = new StandardEnvironment();
		spring.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(
					"pod-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));

		try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(ImageGatewayApplication.class)
			.environment(spring)
			.run()) {
			assertThat(gateway.getBean(ClientRegistry.class).clients()).extracting(GatewayClient::name)
				.containsExactlyInAnyOrder("team-a", "marketing", "qa-sandbox");
			GatewayClient teamA = gateway.getBean(ClientRegistry.class).authenticate("test").orElseThrow();
			assertThat(teamA.models()).containsExactly("black-forest-labs/flux-schnell");
			assertThat(teamA.limits().concurrentJobs()).isEqualTo(4);
			assertThat(teamA.limits().creates().permits()).isEqualTo(30);
			assertThat(teamA.budget().amount()).isEqualByComparingTo("50.25");
			assertThat(teamA.budget().period()).isEqualTo(ClientBudget.Period.MONTH);
			assertThat(teamA.budget().alertAt()).isEqualByComparingTo("0.8");
			assertThat(teamA.prompt().brokenRule("a Celebrity portrait")).hasValue("deny[0]");
			assertThat(teamA.prompt().brokenRule("x".repeat(4001))).hasValue("max-length");
			assertThat(teamA.deadlines().maxCancelAfter()).hasMinutes(30);
			assertThat(teamA.deadlines().defaultCancelAfter()).hasMinutes(10);
			assertThat(teamA.fallbackUpstream()).isEqualTo("backup");
			assertThat(teamA.cache().ttl()).hasDays(7);
			// its Ingress is trusted to name the public scheme and host
			assertThat(gateway.getBean(com.imagegateway.system.ForwardedProperties.class).trustedProxies())
				.contains("10.0.0.0/8", "fc00::/7");
			assertThat(gateway.getBean(ClientRegistry.class).named("marketing").orElseThrow().cache().readsFrom())
				.containsExactly("marketing", "team-a");
			UpstreamProperties upstream = gateway.getBean(UpstreamProperties.class);
			assertThat(upstream.keys().get("default").key()).isEqualTo("hk-from-secret-1");
			assertThat(upstream.keys().get("backup").key()).isEqualTo("hk-from-secret-3");
			assertThat(upstream.baseUrlOf("backup")).hasToString("https://api.other-reseller.example/replicate");
			assertThat(upstream.baseUrlOf("marketing")).hasToString("https://api.example.com/replicate");
			// marketing sets none: the default
			assertThat(gateway.getBean(ClientRegistry.class).clients())
				.filteredOn((client) -> client.name().equals("marketing"))
				.singleElement()
				.satisfies((marketing) -> assertThat(marketing.budget().period()).isEqualTo(ClientBudget.Period.WEEK));
			PricingProperties pricing = gateway.getBean(PricingProperties.class);
			assertThat(pricing.required()).isTrue();
			assertThat(pricing.models()).hasSize(3);
			assertThat(pricing.models().get(2).effectiveFrom()).isEqualTo("2027-01-01T00:00:00Z");
			assertThat(pricing.models().get(1).perSecond()).isEqualByComparingTo("0.001525");
			assertThat(pricing.fallback().estimateSeconds()).isEqualByComparingTo("30");
			assertThat(gateway.getBean(AdminProperties.class).keySha256()).hasSize(1);
			assertThat(gateway.getBean(UpstreamProperties.class).baseUrl())
				.hasToString("https://api.example.com/replicate");
			assertThat(gateway.getBean(UpstreamProperties.class).callbackUrl())
				.hasToString("https://images.internal.example/upstream/callback");
			assertThat(gateway.getBean(UpstreamProperties.class).webhookSecret()).startsWith("whsec_");
			assertThat(gateway.getBean(WebhookSecrets.class).has("team-a")).isTrue();
			assertThat(gateway.getBean(WebhookSecrets.class).has("marketing")).isFalse();
			assertThat(gateway.getBean(OutputStorage.class).getClass().getSimpleName())
				.isEqualTo(storage.equals("s3") ? "S3OutputStorage" : "FilesystemOutputStorage");
			String management = gateway.getEnvironment().getRequiredProperty("local.management.port");
			WebTestClient probes = WebTestClient.bindToServer().baseUrl("http://localhost:" + management).build();
			probes.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
			probes.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
			probes.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
		}
	}

	private static Map<String, Object> container(List<Map<String, Object>> manifests) {
		return at(kind(manifests, "Deployment"), "spec", "template", "spec", "containers", "0");
	}

	/** The container's plain environment variables (not the ones from Secrets). */
	private static Map<String, String> env(Map<String, Object> container) {
		Map<String, String> values = new HashMap<>();
		for (Map<String, Object> variable : (List<Map<String, Object>>) at(container, "env")) {
			if (variable.get("value") != null) {
				values.put((String) variable.get("name"), String.valueOf(variable.get("value")));
			}
		}
		return values;
	}

	private static String checksum(List<Map<String, Object>> manifests, String annotation) {
		return at(kind(manifests, "Deployment"), "spec", "template", "metadata", "annotations", annotation);
	}

}
