package com.imagegateway.images;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import com.imagegateway.clients.GatewayClient;
import com.imagegateway.upstream.Prediction;
import com.imagegateway.upstream.PredictionRequest;
import com.imagegateway.upstream.UpstreamException;
import com.imagegateway.upstream.Upstreams;

/**
 * Creates a client's prediction with its upstream key or, when that provably created
 * nothing ({@link UpstreamException#failoverReason}), its fallback key: never both for
 * one request, as after anything else the first may exist, and be paid for.
 */
final class FailoverCreates {

	private static final Log logger = LogFactory.getLog(FailoverCreates.class);

	private final Upstreams upstreams;

	private final JobMetrics metrics;

	FailoverCreates(Upstreams upstreams, JobMetrics metrics) {
		this.upstreams = upstreams;
		this.metrics = metrics;
	}

	Mono<Created> create(GatewayClient client, PredictionRequest request) {
		Mono<Created> primary = this.upstreams.named(client.upstream())
			.create(request)
			.map((prediction) -> new Created(client.upstream(), prediction));
		String fallback = client.fallbackUpstream();
		if (fallback == null) {
			return primary;
		}
		return primary.onErrorResume((failure) -> UpstreamException.failoverReason(failure).isPresent(), (failure) -> {
			String reason = UpstreamException.failoverReason(failure).orElseThrow();
			this.metrics.failover(client.name(), client.upstream(), fallback, reason);
			logger.info("Create of client " + client.name() + " sent to upstream key " + fallback + ": "
					+ client.upstream() + " created nothing (" + reason + ")");
			return this.upstreams.named(fallback)
				.create(request)
				.map((prediction) -> new Created(fallback, prediction));
		});
	}

	/** A prediction and the upstream key it was created with. */
	record Created(String upstream, Prediction prediction) {
	}

}
