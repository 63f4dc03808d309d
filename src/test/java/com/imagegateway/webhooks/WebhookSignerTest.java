package com.imagegateway.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.imagegateway.clients.ClientFixtures;
import com.imagegateway.clients.ClientsProperties;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class WebhookSignerTest {

	/** Standard Webhooks' published test vector. */
	private static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	private static final String NEXT_SECRET = "whsec_" + java.util.Base64.getEncoder()
		.encodeToString("a second key, for the rotation".getBytes(StandardCharsets.UTF_8));

	@Test
	void signsThePublishedTestVectorExactlyAsTheReferenceImplementationsDo() {
		WebhookSigner signer = new WebhookSigner(secrets(Map.of("team-a", List.of(VECTOR_SECRET))));

		HttpHeaders headers = signer.sign("team-a", "msg_p5jXN8AQM9LWM0D4loKWxJek", Instant.ofEpochSecond(1614265330),
				"{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));

		assertThat(headers.getFirst("webhook-id")).isEqualTo("msg_p5jXN8AQM9LWM0D4loKWxJek");
		assertThat(headers.getFirst("webhook-timestamp")).isEqualTo("1614265330");
		assertThat(headers.getFirst("webhook-signature")).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	}

	@Test
	void aReceiverVerifiesTheBodyAsSentAndNothingElse() {
		WebhookSigner signer = new WebhookSigner(secrets(Map.of("team-a", List.of(VECTOR_SECRET))));
		Instant now = Instant.parse("2026-12-04T10:00:00Z");
		byte[] body = "{\"id\":\"job1\",\"status\":\"succeeded\"}".getBytes(StandardCharsets.UTF_8);

		HttpHeaders headers = signer.sign("team-a", "job1-completed", now, body);
		StandardWebhooksVerifier receiver = new StandardWebhooksVerifier(VECTOR_SECRET);

		assertThat(verifies(receiver, headers, body, now)).isTrue();
		assertThat(verifies(receiver, headers,
				"{\"id\":\"job1\",\"status\":\"failed\"}".getBytes(StandardCharsets.UTF_8), now))
			.isFalse();
		assertThat(verifies(receiver, headers, body, now.plusSeconds(600))).as("a replay ten minutes later").isFalse();
		assertThat(verifies(new StandardWebhooksVerifier(NEXT_SECRET), headers, body, now)).isFalse();
	}

	@Test
	void duringARotationEachKeySignsSoThatAReceiverHoldingEitherAccepts() {
		WebhookSigner signer = new WebhookSigner(secrets(Map.of("team-a", List.of(VECTOR_SECRET, NEXT_SECRET))));
		Instant now = Instant.parse("2026-12-04T10:00:00Z");
		byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

		HttpHeaders headers = signer.sign("team-a", "job1-start", now, body);

		assertThat(headers.getFirst("webhook-signature").split(" ")).hasSize(2)
			.allMatch((part) -> part.startsWith("v1,"));
		assertThat(verifies(new StandardWebhooksVerifier(VECTOR_SECRET), headers, body, now)).isTrue();
		assertThat(verifies(new StandardWebhooksVerifier(NEXT_SECRET), headers, body, now)).isTrue();
	}

	@Test
	void aMalformedSecretStopsTheStartWithoutRepeatingIt() {
		assertThatIllegalStateException().isThrownBy(() -> secrets(Map.of("team-a", List.of("not-a-whsec-secret"))))
			.withMessage("gateway.clients.team-a.webhook-secret must be whsec_ followed by the key in base64")
			.withMessageNotContaining("not-a-whsec-secret");
		assertThatIllegalStateException().isThrownBy(() -> secrets(Map.of("team-a", List.of("whsec_!!notbase64!!"))))
			.withMessageNotContaining("notbase64!!");
		assertThatIllegalStateException().isThrownBy(() -> secrets(Map.of("team-a", List.of("whsec_c2hvcnQ="))))
			.withMessageContaining("at least 24 bytes");
		assertThat(secrets(Map.of("team-a", List.of(VECTOR_SECRET))).has("team-b")).isFalse();
	}

	private static boolean verifies(StandardWebhooksVerifier receiver, HttpHeaders headers, byte[] body, Instant now) {
		return receiver.verifies(headers.getFirst("webhook-id"), headers.getFirst("webhook-timestamp"),
				headers.getFirst("webhook-signature"), body, now);
	}

	static WebhookSecrets secrets(Map<String, List<String>> secrets) {
		Map<String, ClientsProperties.Client> clients = new java.util.HashMap<>();
		secrets.forEach(
				(name, values) -> clients.put(name, ClientFixtures.sandbox("%064x".formatted(clients.size()), values)));
		return new WebhookSecrets(ClientFixtures.registry(clients));
	}

}
