package com.imagegateway.upstream;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which calls are tried again when the connection is refused: a create (the one create
 * failure that is safe to retry: nothing reached the upstream), never a read, whose retry
 * is the tracker's next check.
 */
class RetryRuleTest {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private UpstreamResilience resilience;

	private Predictions upstream;

	@BeforeEach
	void upstreamThatRefusesConnections() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		ResilienceProperties properties = new ResilienceProperties(
				new ResilienceProperties.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
						Duration.ofSeconds(1)),
				new ResilienceProperties.Retry(3, Duration.ofMillis(10), 2, Duration.ofMillis(50), 0,
						Duration.ofSeconds(1), Duration.ofSeconds(10)),
				new ResilienceProperties.CircuitBreaker(50, Duration.ofSeconds(5), 100, 10, 10, Duration.ofSeconds(1),
						1),
				new ResilienceProperties.Bulkhead(10));
		this.resilience = new UpstreamResilience(properties,
				new UpstreamProperties.Limits(100, Duration.ofSeconds(1), Duration.ZERO), null);
		this.upstream = this.resilience.protect("refused",
				new ReplicatePredictions(WebClient.create(), WebClient.create(),
						"http://127.0.0.1:" + closedPort + "/replicate/v1", properties.timeouts(),
						JsonMapper.builder().build(), new UpstreamCallMetrics(this.meters, "refused"), null));
	}

	@Test
	void retriesACreateWhoseConnectionWasRefused() {
		StepVerifier.create(this.upstream.create(new PredictionRequest(ModelRef.parse("a/b"), Map.of("prompt", "x"))))
			.expectErrorSatisfies((failure) -> assertThat(failure).isInstanceOfSatisfying(UpstreamException.class,
					(upstreamFailure) -> assertThat(upstreamFailure.failure())
						.isEqualTo(UpstreamException.Failure.NOT_CONNECTED)))
			.verify(Duration.ofSeconds(10));

		Retry retry = this.resilience.retries().retry("upstream-refused-create");
		assertThat(retry.getMetrics().getNumberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
		assertThat(attempts("create")).isEqualTo(3);
	}

	@Test
	void triesAReadOnceForTheTrackersNextCheckIsItsRetry() {
		StepVerifier.create(this.upstream.get("p1"))
			.expectErrorSatisfies((failure) -> assertThat(failure).isInstanceOfSatisfying(UpstreamException.class,
					(upstreamFailure) -> assertThat(upstreamFailure.failure())
						.isEqualTo(UpstreamException.Failure.NOT_CONNECTED)))
			.verify(Duration.ofSeconds(10));

		assertThat(attempts("read")).isEqualTo(1);
		assertThat(this.resilience.retries().getAllRetries()).extracting(Retry::getName)
			.doesNotContain("upstream-refused-read");
	}

	private long attempts(String operation) {
		return this.meters.get("gateway.upstream.requests")
			.tag("operation", operation)
			.tag("outcome", "not_connected")
			.timer()
			.count();
	}

}
