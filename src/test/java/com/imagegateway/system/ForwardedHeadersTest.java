package com.imagegateway.system;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import com.imagegateway.GatewayIntegrationTest;
import com.imagegateway.UpstreamStub;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Behind an Ingress: the links the gateway hands out carry the public scheme and host
 * that a trusted proxy's {@code X-Forwarded-*} (or {@code Forwarded}) name, so that a
 * signed link put into an https page is https; the same headers from any other address
 * are dropped unread.
 */
class ForwardedHeadersTest extends GatewayIntegrationTest {

	@Test
	void throughATrustedProxyTheImageLinksAreThePublicHttpsOnes() {
		JsonNode job = UpstreamStub
			.json(postWith(SANDBOX_KEY, "/images").header(HttpHeaders.CONTENT_TYPE, "application/json")
				.header("Prefer", "wait=10")
				.header("X-Forwarded-Proto", "https")
				.header("X-Forwarded-Host", "images.example.com")
				.header("X-Forwarded-Port", "443")
				.bodyValue("{\"model\": \"black-forest-labs/flux-schnell\", \"prompt\": \"a lighthouse\"}")
				.exchange()
				.expectStatus()
				.isCreated()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody());

		JsonNode image = job.path("images").path(0);
		assertThat(image.path("stored").asBoolean()).isTrue();
		assertThat(image.path("url").asString())
			.isEqualTo("https://images.example.com/images/" + job.path("id").asString() + "/outputs/0");
		assertThat(image.path("signedUrl").asString())
			.startsWith("https://images.example.com/images/" + job.path("id").asString() + "/outputs/0?");
		// and through RFC 7239's header
		getWith(SANDBOX_KEY, "/images/{id}", job.path("id").asString())
			.header("Forwarded", "proto=https;host=gw.example.org")
			.exchange()
			.expectBody()
			.jsonPath("$.images[0].url")
			.isEqualTo("https://gw.example.org/images/" + job.path("id").asString() + "/outputs/0");
	}

	@Test
	void fromAnUntrustedAddressTheHeadersAreDroppedUnread() {
		TrustedForwardedHeaders filter = new TrustedForwardedHeaders(
				new ForwardedProperties(List.of("10.0.0.0/8", "fd00::/8")));

		ServerWebExchange untrusted = through(filter, "203.0.113.7");
		assertThat(untrusted.getRequest().getURI().toString()).isEqualTo("http://gateway.internal:8080/images");
		assertThat(untrusted.getRequest().getHeaders().containsHeader("X-Forwarded-Host")).isFalse();

		ServerWebExchange trusted = through(filter, "10.1.2.3");
		assertThat(trusted.getRequest().getURI().toString()).isEqualTo("https://images.example.com/images");
	}

	@Test
	void aTrustedProxyThatIsNotAnAddressStopsTheStart() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new TrustedForwardedHeaders(new ForwardedProperties(List.of("ingress-nginx"))))
			.withMessageContaining("gateway.forwarded.trusted-proxies holds 'ingress-nginx'");
	}

	private static ServerWebExchange through(TrustedForwardedHeaders filter, String remote) {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("http://gateway.internal:8080/images")
				.remoteAddress(new InetSocketAddress(remote, 40000))
				.header("X-Forwarded-Proto", "https")
				.header("X-Forwarded-Host", "images.example.com"));
		ServerWebExchange[] seen = new ServerWebExchange[1];
		StepVerifier.create(filter.filter(exchange, (passed) -> {
			seen[0] = passed;
			return Mono.empty();
		})).verifyComplete();
		return seen[0];
	}

}
