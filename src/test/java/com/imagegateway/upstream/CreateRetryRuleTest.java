package com.imagegateway.upstream;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The one create failure that is safe to retry: the connection was never established. */
class CreateRetryRuleTest {

	@Test
	void retriesACreateWhoseConnectionWasRefused() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		ResilienceProperties properties = new ResilienceProperties(
				new ResilienceProperties.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
						Duration.ofSeconds(1)),
				new ResilienceProperties.Retry(3, Duration.ofMillis(10), 2, Duration.ofMillis(50), 0, Duration.ofSeconds(1),
						Duration.ofSeconds(10)),
				new ResilienceProperties.CircuitBreaker(50, Duration.ofSeconds(5), 100, 10, 10, Duration.ofSeconds(1), 1),
				new ResilienceProperties.Bulkhead(10));
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		UpstreamResilience resilience = new UpstreamResilience(properties,
				new UpstreamProperties.Limits(100, Duration.ofSeconds(1), Duration.ZERO), null);
		Predictions upstream = resilience.protect("refused",
				new ReplicatePredictions(WebClient.create(), WebClient.create(), "http://127.0.0.1:" + closedPort + "/replicate/v1",
						properties.timeouts(), JsonMapper.builder().build(),
						new UpstreamCallMetrics(meters, "refused")));

		StepVerifier.create(upstream.create(new PredictionRequest(ModelRef.parse("a/b"), Map.of("prompt", "x"))))
			.expectErrorSatisfies((failure) -> assertThat(failure).isInstanceOfSatisfying(UpstreamException.class,
					(upstreamFailure) -> assertThat(upstreamFailure.failure()).isEqualTo(UpstreamException.Failure.NOT_CONNECTED)))
			.verify(Duration.ofSeconds(10));

		Retry retry = resilience.retries().retry("upstream-refused-create");
		assertThat(retry.getMetrics().getNumberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
		assertThat(meters.get("gateway.upstream.requests").tag("outcome", "not_connected").timer().count())
			.as("attempts").isEqualTo(3);
	}

}
