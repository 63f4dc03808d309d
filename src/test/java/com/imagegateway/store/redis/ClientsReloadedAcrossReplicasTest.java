package com.imagegateway.store.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

import com.imagegateway.MountedConfigMap;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients from {@code gateway.clients-file}, mounted the kubelet's way and changed while
 * two replicas sharing Redis run: a valid change applies on both without a restart, an
 * invalid one is refused and counted on both while the running clients keep working, a
 * removed key is refused, and a job its client started before being removed is still
 * followed to its end.
 */
@Testcontainers(disabledWithoutDocker = true)
class ClientsReloadedAcrossReplicasTest {

	private static final String KEY_ONE = "file-team-key-one";

	private static final String HASH_ONE = "0ed6c5e1ddf1ea0102dc122bb82e1f64ebb10460b51f43d6edfa81feb852f49c";

	private static final String KEY_TWO = "file-team-key-two";

	private static final String HASH_TWO = "498ef2509e527c210330c7c0ce15e99cef45065db688a9eab3435e0e32471acc";

	private static final Duration SECONDS = Duration.ofSeconds(10);

	private static RedisContainer redis;

	private static Path directory;

	private static MountedConfigMap settings;

	private static MountedConfigMap secrets;

	private static Gateway a;

	private static Gateway b;

	@BeforeAll
	static void startTwoReplicasReadingOneMountedClientsFile() throws Exception {
		redis = new RedisContainer().start();
		directory = Files.createTempDirectory("clients-file");
		settings = new MountedConfigMap(directory.resolve("settings"), "clients.yaml").write("""
				file-team: {limits: {reads: {permits: 100, period: 1m}}}
				""");
		secrets = new MountedConfigMap(directory.resolve("secrets"), "clients.yaml")
			.write("file-team: {key-sha256: %s}".formatted(HASH_ONE));
		Map<String, String> properties = Map.of("gateway.clients-file", settings.file() + "," + secrets.file(),
				"gateway.clients-file-check-interval", "200ms");
		a = Gateway.start(redis.url(), properties);
		b = Gateway.start(redis.url(), properties);
	}

	@AfterAll
	static void stopAll() {
		Gateway.closeAll(a, b, redis);
		org.springframework.util.FileSystemUtils.deleteRecursively(directory.toFile());
	}

	@Test
	void changesToTheMountedClientsApplyOnEveryReplicaAndAnInvalidOneIsRefusedWhileTheOldClientsWork() {
		SERVER.resetAll();
		SERVER.stubFor(post(urlPathMatching(API + "/models/.+/predictions"))
			.willReturn(okJson(prediction("reload-job", "starting", null)).withStatus(201)));
		SERVER.stubFor(get(urlPathEqualTo(API + "/predictions/reload-job"))
			.willReturn(okJson(prediction("reload-job", "processing", null))));
		for (Gateway replica : new Gateway[] { a, b }) {
			replica.get(KEY_ONE, "/images").expectStatus().isOk();
			replica.get(KEY_TWO, "/images").expectStatus().isUnauthorized();
		}
		a.create(KEY_ONE, "{\"model\": \"black-forest-labs/flux-schnell\", \"prompt\": \"a lighthouse\"}")
			.expectStatus()
			.isCreated();

		// a second client, and the first one's read limit lowered
		settings.write("""
				file-team: {limits: {reads: {permits: 50, period: 1m}}}
				other-team: {sandbox: true}
				""");
		secrets.write("file-team: {key-sha256: %s}\nother-team: {key-sha256: %s}".formatted(HASH_ONE, HASH_TWO));
		await().atMost(SECONDS).untilAsserted(() -> {
			for (Gateway replica : new Gateway[] { a, b }) {
				replica.get(KEY_TWO, "/images").expectStatus().isOk();
				replica.get(KEY_ONE, "/images")
					.expectStatus()
					.isOk()
					.expectHeader()
					.valueEquals("RateLimit-Limit", "50");
				assertThat(replica.counter("gateway.config.reloads", "outcome", "applied")).isOne();
			}
		});

		// a raw key where a hash belongs: refused as a whole, counted, and both clients
		// still work on both replicas
		secrets.write("file-team: {key-sha256: %s}\nother-team: {key-sha256: %s}".formatted(HASH_ONE, KEY_TWO));
		await().atMost(SECONDS).untilAsserted(() -> {
			for (Gateway replica : new Gateway[] { a, b }) {
				assertThat(replica.counter("gateway.config.reloads", "outcome", "rejected")).isOne();
			}
		});
		for (Gateway replica : new Gateway[] { a, b }) {
			replica.get(KEY_ONE, "/images").expectStatus().isOk();
			replica.get(KEY_TWO, "/images").expectStatus().isOk();
		}

		// file-team removed: its key is refused on both replicas ...
		settings.write("other-team: {sandbox: true}");
		secrets.write("other-team: {key-sha256: %s}".formatted(HASH_TWO));
		await().atMost(SECONDS).untilAsserted(() -> {
			for (Gateway replica : new Gateway[] { a, b }) {
				replica.get(KEY_ONE, "/images").expectStatus().isUnauthorized();
				assertThat(replica.counter("gateway.config.reloads", "outcome", "applied")).isEqualTo(2);
			}
		});
		// ... and the job it started is still followed to its end
		SERVER.stubFor(get(urlPathEqualTo(API + "/predictions/reload-job"))
			.willReturn(okJson(prediction("reload-job", "succeeded", null))));
		await().atMost(SECONDS)
			.untilAsserted(
					() -> assertThat(a.counter("gateway.jobs.finished", "client", "file-team", "status", "succeeded")
							+ b.counter("gateway.jobs.finished", "client", "file-team", "status", "succeeded"))
						.isOne());
		b.get(KEY_TWO, "/images").expectStatus().isOk();
	}

}
