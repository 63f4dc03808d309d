package com.imagegateway.clients;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.imagegateway.MountedConfigMap;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@code gateway.clients-file}: a ConfigMap (settings) and a Secret (hashes, webhook
 * secrets) mounted the kubelet's way, read again by the watcher; each change applies as a
 * whole or not at all, and what is logged of a refused one names what is wrong, never a
 * value.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientsFileReloadTest {

	private static final String KEY_ONE = "file-team-key-one";

	private static final String HASH_ONE = "0ed6c5e1ddf1ea0102dc122bb82e1f64ebb10460b51f43d6edfa81feb852f49c";

	private static final String KEY_TWO = "file-team-key-two";

	private static final String HASH_TWO = "498ef2509e527c210330c7c0ce15e99cef45065db688a9eab3435e0e32471acc";

	private static final String WEBHOOK_SECRET = "whsec_"
			+ Base64.getEncoder().encodeToString("file-team signs its webhooks, 32".getBytes());

	@TempDir
	Path directory;

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@Test
	void theSecretsFileAddsHashesAndSecretsToTheClientsOfTheConfigMap() {
		Setup setup = new Setup();
		setup.settings.write("""
				file-team:
				  sandbox: true
				  limits: {concurrent-jobs: 2}
				""");
		setup.secrets.write("file-team: {key-sha256: %s, webhook-secret: %s}".formatted(HASH_ONE, WEBHOOK_SECRET));

		ClientRegistry registry = setup.registry();

		assertThat(registry.authenticate(KEY_ONE)).hasValueSatisfying((client) -> {
			assertThat(client.name()).isEqualTo("file-team");
			assertThat(client.upstream()).isEqualTo("sandbox");
			assertThat(client.limits().concurrentJobs()).isEqualTo(2);
		});
		assertThat(registry.hasWebhookKeys("file-team")).isTrue();
	}

	@Test
	void aChangeSwappedInLikeAConfigMapAppliesAsAWholeAndARemovedKeyIsRefusedAtOnce() {
		Setup setup = new Setup();
		setup.settings.write("file-team: {sandbox: true}");
		setup.secrets.write("file-team: {key-sha256: %s}".formatted(HASH_ONE));
		ClientRegistry registry = setup.registry();
		ClientsFileWatcher watcher = setup.watcher(registry);

		setup.settings.write("""
				other-team: {sandbox: true, models: [black-forest-labs/flux-schnell]}
				""");
		setup.secrets.write("other-team: {key-sha256: %s}".formatted(HASH_TWO));
		watcher.check();

		assertThat(registry.authenticate(KEY_ONE)).isEmpty();
		assertThat(registry.authenticate(KEY_TWO)).map(GatewayClient::name).hasValue("other-team");
		assertThat(registry.models()).containsExactly("black-forest-labs/flux-schnell");
		assertThat(reloads("applied")).isOne();
		assertThat(reloads("rejected")).isZero();
	}

	@Test
	void filesReadAgainUnchangedAreNotAppliedAgain() {
		Setup setup = new Setup();
		setup.settings.write("file-team: {sandbox: true, key-sha256: %s}".formatted(HASH_ONE));
		setup.secrets.write("{}");
		ClientsFileWatcher watcher = setup.watcher(setup.registry());

		watcher.check();
		setup.settings.write("file-team: {sandbox: true, key-sha256: %s}".formatted(HASH_ONE));
		watcher.check();

		assertThat(reloads("applied")).isZero();
	}

	@Test
	void anInvalidChangeIsRefusedCountedOnceAndLoggedWithoutItsValuesWhileTheRunningClientsStay(CapturedOutput output) {
		Setup setup = new Setup();
		setup.settings.write("file-team: {sandbox: true}");
		setup.secrets.write("file-team: {key-sha256: %s}".formatted(HASH_ONE));
		ClientRegistry registry = setup.registry();
		ClientsFileWatcher watcher = setup.watcher(registry);

		// a raw key pasted where its hash belongs, and a valid second client: none of it
		// applies
		setup.secrets.write("file-team: {key-sha256: %s}\nother-team: {key-sha256: %s}".formatted(KEY_TWO, HASH_TWO));
		setup.settings.write("file-team: {sandbox: true}\nother-team: {sandbox: true}");
		watcher.check();
		watcher.check();

		assertThat(reloads("rejected")).isOne();
		assertThat(reloads("applied")).isZero();
		assertThat(registry.authenticate(KEY_ONE)).map(GatewayClient::name).hasValue("file-team");
		assertThat(registry.authenticate(KEY_TWO)).isEmpty();
		assertThat(output.getAll()).contains("Clients file change refused, the running clients stay")
			.contains("gateway.clients.file-team.key-sha256 must be the 64 hex digits")
			.doesNotContain(KEY_TWO);

		// mended: applies
		setup.secrets.write("file-team: {key-sha256: %s}\nother-team: {key-sha256: %s}".formatted(HASH_ONE, HASH_TWO));
		watcher.check();
		assertThat(registry.authenticate(KEY_TWO)).map(GatewayClient::name).hasValue("other-team");
		assertThat(reloads("applied")).isOne();
	}

	@Test
	void malformedYamlIsRefusedNamingTheLineNeverQuotingIt(CapturedOutput output) {
		Setup setup = new Setup();
		setup.settings.write("file-team: {sandbox: true}");
		setup.secrets.write("file-team: {key-sha256: %s}".formatted(HASH_ONE));
		ClientRegistry registry = setup.registry();
		ClientsFileWatcher watcher = setup.watcher(registry);

		setup.secrets.write("file-team:\n  webhook-secret: [%s\n  key-sha256: %s".formatted(WEBHOOK_SECRET, HASH_ONE));
		watcher.check();

		assertThat(reloads("rejected")).isOne();
		assertThat(output.getAll()).containsPattern("secrets/clients.yaml is not valid YAML at line \\d+, column \\d+")
			.doesNotContain(WEBHOOK_SECRET);
		assertThat(registry.authenticate(KEY_ONE)).isPresent();
	}

	@Test
	void anInvalidSettingIsNamedByItsProperty(CapturedOutput output) {
		Setup setup = new Setup();
		setup.settings.write("file-team: {sandbox: true}");
		setup.secrets.write("file-team: {key-sha256: %s}".formatted(HASH_ONE));
		ClientsFileWatcher watcher = setup.watcher(setup.registry());

		setup.settings.write("file-team: {sandbox: true, limits: {creates: {permits: 0, period: 1m}}}");
		watcher.check();

		assertThat(output.getAll())
			.contains("clients.file-team.limits.creates.permits must be greater than or equal to 1");
	}

	@Test
	void aClientInBothTheFileAndTheConfigurationIsRefused() {
		Setup setup = new Setup();
		setup.settings.write("file-team: {sandbox: true, key-sha256: %s}".formatted(HASH_ONE));
		setup.secrets.write("{}");
		assertThatIllegalStateException()
			.isThrownBy(() -> ClientFixtures.registry(Map.of("file-team", ClientFixtures.sandbox(HASH_TWO, List.of())),
					setup.file()))
			.withMessageContaining("'file-team' is configured both in gateway.clients and in gateway.clients-file");
	}

	@Test
	void aMissingFileStopsTheStart() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ClientFixtures.registry(Map.of(),
					ClientFixtures.file(List.of(this.directory.resolve("absent.yaml")))))
			.withMessageContaining("absent.yaml does not exist");
	}

	@Test
	void aRemovedClientsWebhookKeysStillSignItsRunningJobsDeliveries() {
		Setup setup = new Setup();
		setup.settings.write("file-team: {sandbox: true}");
		setup.secrets.write("file-team: {key-sha256: %s, webhook-secret: %s}".formatted(HASH_ONE, WEBHOOK_SECRET));
		ClientRegistry registry = setup.registry();
		ClientsFileWatcher watcher = setup.watcher(registry);
		List<byte[]> keys = registry.webhookKeys("file-team");

		setup.settings.write("{}");
		setup.secrets.write("{}");
		watcher.check();

		assertThat(registry.hasWebhookKeys("file-team")).isFalse();
		assertThat(registry.webhookKeys("file-team")).isEqualTo(keys);
	}

	private double reloads(String outcome) {
		var counter = this.meters.find("gateway.config.reloads").tag("outcome", outcome).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private final class Setup {

		final MountedConfigMap settings = new MountedConfigMap(ClientsFileReloadTest.this.directory.resolve("settings"),
				"clients.yaml");

		final MountedConfigMap secrets = new MountedConfigMap(ClientsFileReloadTest.this.directory.resolve("secrets"),
				"clients.yaml");

		private ClientsFile file;

		ClientsFile file() {
			if (this.file == null) {
				this.file = ClientFixtures.file(List.of(this.settings.file(), this.secrets.file()));
			}
			return this.file;
		}

		ClientRegistry registry() {
			return ClientFixtures.registry(Map.of(), file());
		}

		ClientsFileWatcher watcher(ClientRegistry registry) {
			return new ClientsFileWatcher(file(), registry, java.time.Duration.ofSeconds(1),
					ClientsFileReloadTest.this.meters);
		}

	}

}
