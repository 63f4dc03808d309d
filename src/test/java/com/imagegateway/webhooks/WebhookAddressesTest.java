package com.imagegateway.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

import com.imagegateway.system.GatewayException;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server-side request forgery: which addresses a webhook may reach, when it is asked for
 * and when it is sent.
 */
class WebhookAddressesTest {

	private static final WireMockServer RECEIVER = new WireMockServer(
			wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));

	private final WebhookProperties allowingNothing = new WebhookProperties(List.of(), Duration.ofSeconds(10),
			Duration.ofHours(24), Duration.ofSeconds(5));

	private final WebhookProperties allowingTheReceiver = new WebhookProperties(List.of("127.0.0.1"),
			Duration.ofSeconds(10), Duration.ofHours(24), Duration.ofSeconds(5));

	@BeforeAll
	static void startReceiver() {
		RECEIVER.start();
	}

	@AfterAll
	static void stopReceiver() {
		RECEIVER.stop();
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "127.1.2.3", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255",
			"192.168.1.1", "169.254.169.254", "100.64.0.1", "100.127.255.255", "192.0.0.8", "198.18.0.1", "224.0.0.1",
			"255.255.255.255", "240.0.0.1", "::", "::1", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1",
			"::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe" })
	void internalAddressesAreForbidden(String literal) throws Exception {
		assertThat(WebhookAddresses.forbidden(InetAddress.getByName(literal))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.15.255.255", "172.32.0.1",
			"2001:4860:4860::8888", "::ffff:8.8.8.8" })
	void publicAddressesAreAllowed(String literal) throws Exception {
		assertThat(WebhookAddresses.forbidden(InetAddress.getByName(literal))).isFalse();
	}

	@Test
	void aWebhookIsRefusedWhenAskedForWithAMessageThatSaysWhy() {
		WebhookTargets targets = new WebhookTargets(new WebhookAddresses(this.allowingNothing));

		refused(targets, "http://example.com/hook",
				"webhook must use https (http only for hosts on gateway.webhooks.allowed-hosts)");
		refused(targets, "ftp://example.com/hook", "webhook must be an absolute https URL");
		refused(targets, "/relative/hook", "webhook must be an absolute https URL");
		refused(targets, "https://user:password@example.com/hook", "webhook must not carry credentials");
		refused(targets, "https://localhost:8443/hook", "webhook localhost resolves to 127.0.0.1, a loopback, private, "
				+ "link-local or otherwise internal address the gateway does not call");
		refused(targets, "https://169.254.169.254/latest/meta-data",
				"webhook 169.254.169.254 resolves to 169.254.169.254, "
						+ "a loopback, private, link-local or otherwise internal address the gateway does not call");
		refused(targets, "https://[::ffff:10.0.0.1]/hook",
				"webhook [::ffff:10.0.0.1] resolves to 10.0.0.1, a loopback, "
						+ "private, link-local or otherwise internal address the gateway does not call");
		refused(targets, "https://does-not-exist.invalid/hook",
				"webhook names a host that does not resolve: does-not-exist.invalid");
	}

	@Test
	void anAllowedHostMayBeInternalAndPlainHttp() {
		WebhookTargets targets = new WebhookTargets(new WebhookAddresses(this.allowingTheReceiver));

		StepVerifier.create(targets.check("http://127.0.0.1:8080/hook"))
			.expectNext(URI.create("http://127.0.0.1:8080/hook"))
			.verifyComplete();
		refused(targets, "http://localhost:8080/hook",
				"webhook must use https (http only for hosts on gateway.webhooks.allowed-hosts)");
	}

	@Test
	void aDeliveryConnectsOnlyToTheAddressItCheckedAndFollowsNoRedirect() {
		RECEIVER.resetAll();
		RECEIVER.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
		RECEIVER.stubFor(post(urlEqualTo("/moved")).willReturn(
				aResponse().withStatus(307).withHeader("Location", "http://localhost:" + RECEIVER.port() + "/hook")));

		// a name that resolves to the loopback, not on the allow-list: refused before any
		// connection
		StepVerifier.create(
				client(this.allowingTheReceiver).post().uri("http://localhost:" + RECEIVER.port() + "/hook").response())
			.expectErrorSatisfies(
					(failure) -> assertThat(failure).isInstanceOf(WebhookAddresses.ForbiddenAddressException.class))
			.verify(Duration.ofSeconds(5));
		StepVerifier
			.create(client(this.allowingNothing).post().uri("http://127.0.0.1:" + RECEIVER.port() + "/hook").response())
			.expectErrorSatisfies(
					(failure) -> assertThat(failure).isInstanceOf(WebhookAddresses.ForbiddenAddressException.class))
			.verify(Duration.ofSeconds(5));
		assertThat(RECEIVER.findAll(anyRequestedFor(anyUrl()))).isEmpty();

		// allowed, and redirected towards the loopback by name: the redirect is the
		// answer, not followed
		StepVerifier
			.create(client(this.allowingTheReceiver).post()
				.uri("http://127.0.0.1:" + RECEIVER.port() + "/moved")
				.response())
			.assertNext((response) -> assertThat(response.status().code()).isEqualTo(307))
			.verifyComplete();
		assertThat(RECEIVER.findAll(anyRequestedFor(anyUrl()))).extracting((request) -> request.getUrl())
			.containsExactly("/moved");
	}

	private static HttpClient client(WebhookProperties properties) {
		return HttpClient.create()
			.resolver(new CheckedAddressResolverGroup(new WebhookAddresses(properties), Schedulers.boundedElastic()));
	}

	private static void refused(WebhookTargets targets, String url, String detail) {
		StepVerifier.create(targets.check(url)).expectErrorSatisfies((failure) -> {
			assertThat(failure).isInstanceOf(GatewayException.class);
			assertThat(failure).hasMessageContaining(detail);
		}).verify(Duration.ofSeconds(10));
	}

}
