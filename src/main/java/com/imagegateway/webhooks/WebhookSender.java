package com.imagegateway.webhooks;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Sends one attempt of a delivery: the stored payload, signed for this attempt, to the
 * address its host resolves to now if that is still allowed
 * ({@link CheckedAddressResolverGroup}); no redirect is followed and at most a little of
 * the answer is read.
 */
@Component
class WebhookSender {

	/** Of an answer, what is kept to explain a failure. */
	private static final int READ_AT_MOST = 512;

	private static final String USER_AGENT = "image-gateway-webhooks";

	private final WebClient web;

	private final WebhookSigner signer;

	private final Clock clock;

	private final Duration timeout;

	WebhookSender(WebClient.Builder builder, ReactorResourceFactory resources, WebhookAddresses addresses,
			WebhookProperties properties, WebhookSigner signer, Clock clock) {
		this.signer = signer;
		this.clock = clock;
		this.timeout = properties.timeout();
		// a pool of its own: slow receivers must not hold the upstream's connections
		HttpClient http = HttpClient
			.create(ConnectionProvider.builder("webhooks")
				.maxConnections(500)
				.pendingAcquireMaxCount(-1)
				.pendingAcquireTimeout(this.timeout)
				.maxIdleTime(Duration.ofSeconds(30))
				.build())
			.runOn(resources.getLoopResources())
			.resolver(new CheckedAddressResolverGroup(addresses, Schedulers.boundedElastic()))
			.followRedirect(false)
			.responseTimeout(this.timeout)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) this.timeout.toMillis());
		this.web = builder.clone().clientConnector(new ReactorClientHttpConnector(http)).build();
	}

	Mono<Attempt> send(StoredDelivery delivery) {
		byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
		HttpHeaders signed = this.signer.sign(delivery.client(), delivery.id(), this.clock.instant(), body);
		return this.web.post()
			.uri(URI.create(delivery.url()))
			.headers((headers) -> headers.addAll(signed))
			.header(HttpHeaders.USER_AGENT, USER_AGENT)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchangeToMono(WebhookSender::answer)
			.timeout(this.timeout)
			.onErrorResume((failure) -> Mono.just(new Attempt(0, describe(failure))));
	}

	private static Mono<Attempt> answer(ClientResponse response) {
		int status = response.statusCode().value();
		// the rest of a long answer is not read: the connection is closed instead of
		// reused
		return DataBufferUtils
			.join(DataBufferUtils.takeUntilByteCount(response.bodyToFlux(DataBuffer.class), READ_AT_MOST))
			.map((buffer) -> {
				String text = buffer.toString(StandardCharsets.UTF_8);
				DataBufferUtils.release(buffer);
				return text;
			})
			.defaultIfEmpty("")
			.map((text) -> new Attempt(status, response.statusCode().is2xxSuccessful() ? null
					: "HTTP " + status + (text.isBlank() ? "" : ": " + text.strip().replaceAll("\\s+", " "))));
	}

	private String describe(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof WebhookAddresses.ForbiddenAddressException forbidden) {
				return forbidden.getMessage();
			}
			if (cause instanceof TimeoutException || cause instanceof io.netty.handler.timeout.TimeoutException) {
				return "no answer within " + this.timeout.toSeconds() + " s";
			}
			if (cause instanceof UnknownHostException) {
				return "the host does not resolve";
			}
			if (cause instanceof ConnectException) {
				return "the connection was refused";
			}
			if (cause instanceof PrematureCloseException) {
				return "the connection closed before an answer";
			}
		}
		return "the request failed: " + failure.getClass().getSimpleName();
	}

	/**
	 * @param status the receiver's answer; 0 when there was none
	 * @param error why it failed; null for a 2xx
	 */
	record Attempt(int status, String error) {

		boolean delivered() {
			return this.error == null;
		}

	}

}
