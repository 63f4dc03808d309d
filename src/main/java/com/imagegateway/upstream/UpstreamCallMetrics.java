package com.imagegateway.upstream;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import reactor.core.publisher.Mono;

/**
 * Times every attempt at an upstream call, by operation, upstream key name and outcome
 * (the upstream's status, or what failed instead).
 */
final class UpstreamCallMetrics {

	private final MeterRegistry registry;

	private final String upstream;

	/** Looking a timer up by name and tags on every call cost more than timing it. */
	private final Map<UpstreamOperation, Map<String, Timer>> timers = new EnumMap<>(UpstreamOperation.class);

	UpstreamCallMetrics(MeterRegistry registry, String upstream) {
		this.registry = registry;
		this.upstream = upstream;
		for (UpstreamOperation operation : UpstreamOperation.values()) {
			this.timers.put(operation, new ConcurrentHashMap<>());
		}
	}

	<T> Mono<T> timed(UpstreamOperation operation, Mono<T> attempt) {
		return Mono.defer(() -> {
			Timer.Sample sample = Timer.start(this.registry);
			return attempt.doOnSuccess((result) -> sample.stop(timer(operation, "2xx")))
				.doOnError((failure) -> sample.stop(timer(operation, outcome(failure))))
				.doOnCancel(() -> sample.stop(timer(operation, "canceled")));
		});
	}

	private Timer timer(UpstreamOperation operation, String outcome) {
		return this.timers.get(operation).computeIfAbsent(outcome, (any) -> register(operation, outcome));
	}

	private Timer register(UpstreamOperation operation, String outcome) {
		return Timer.builder("gateway.upstream.requests")
			.description("Calls to the upstream predictions API, each attempt counted")
			.tag("operation", operation.name().toLowerCase(Locale.ROOT))
			.tag("upstream", this.upstream)
			.tag("outcome", outcome)
			.publishPercentileHistogram()
			.register(this.registry);
	}

	private static String outcome(Throwable failure) {
		if (failure instanceof UpstreamException upstream) {
			return (upstream.failure() == UpstreamException.Failure.STATUS)
					? Integer.toString(upstream.upstreamStatus()) : upstream.failure().name().toLowerCase(Locale.ROOT);
		}
		return "error";
	}

}
