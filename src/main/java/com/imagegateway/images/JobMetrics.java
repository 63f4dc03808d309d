package com.imagegateway.images;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import com.imagegateway.clients.ClientRegistry;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Who spent what: jobs created and finished per client and model, images produced, and
 * how long the model ran; how long after the upstream finished a job the gateway knew.
 * Tags stay bounded: clients are configured, and a model no client names in its
 * allow-list is counted as {@code other}.
 */
@Component
class JobMetrics {

	static final String OTHER_MODEL = "other";

	private final MeterRegistry registry;

	/** The models clients are limited to now: the model names jobs are tagged by. */
	private final Supplier<Set<String>> knownModels;

	private final Clock clock;

	@Autowired
	JobMetrics(MeterRegistry registry, ClientRegistry clients, Clock clock) {
		this.registry = registry;
		this.knownModels = clients::models;
		this.clock = clock;
		// at zero from the start: an alert on any increase then sees the first one too
		// (a series first scraped at 1 has not increased)
		clients.clients().forEach((client) -> unrecordedCounter(client.name()));
	}

	JobMetrics(MeterRegistry registry, Set<String> knownModels, Clock clock) {
		this.registry = registry;
		Set<String> models = Set.copyOf(knownModels);
		this.knownModels = () -> models;
		this.clock = clock;
	}

	void created(Job job) {
		Counter.builder("gateway.jobs.submitted")
			.description("Jobs created upstream (OpenMetrics reserves the _created suffix)")
			.tag("client", job.client())
			.tag("model", model(job))
			.register(this.registry)
			.increment();
		if (job.terminal()) {
			finished(job);
		}
	}

	/**
	 * A prediction created upstream that the store could not record: an operator
	 * reconciles these.
	 */
	void unrecorded(Job job) {
		unrecordedCounter(job.client()).increment();
	}

	private Counter unrecordedCounter(String client) {
		return Counter.builder("gateway.jobs.unrecorded")
			.description(
					"Predictions created upstream that the job store could not record; their ids are logged at ERROR")
			.tag("client", client)
			.register(this.registry);
	}

	/**
	 * A create sent to the client's fallback upstream key after its own provably created
	 * nothing.
	 */
	void failover(String client, String from, String to, String reason) {
		Counter.builder("gateway.upstream.failovers")
			.description("Creates sent to a client's fallback upstream key, by why the first key created nothing")
			.tag("client", client)
			.tag("from", from)
			.tag("to", to)
			.tag("reason", reason)
			.register(this.registry)
			.increment();
	}

	/** A seeded create that asked the cache, answered from it or not. */
	void cacheLookup(String client, boolean hit) {
		Counter.builder("gateway.cache.lookups")
			.description("Seeded creates that asked the cache, by whether an earlier result answered them")
			.tag("client", client)
			.tag("outcome", hit ? "hit" : "miss")
			.register(this.registry)
			.increment();
	}

	/**
	 * A create refused for its prompt.
	 * @param rule the rule it broke: {@code max-length} or {@code deny[i]}
	 */
	void promptRejected(String client, String rule) {
		Counter.builder("gateway.prompts.rejected")
			.description("Creates refused by the client's prompt rules, by the rule broken")
			.tag("client", client)
			.tag("rule", rule)
			.register(this.registry)
			.increment();
	}

	/** Called once, when the gateway first sees the job in a final state. */
	void finished(Job job) {
		String model = model(job);
		Counter.builder("gateway.jobs.finished")
			.description("Jobs that reached a final status")
			.tag("client", job.client())
			.tag("model", model)
			.tag("status", job.status().value())
			.register(this.registry)
			.increment();
		if (!job.outputUrls().isEmpty()) {
			Counter.builder("gateway.images.produced")
				.description("Output images of succeeded jobs")
				.tag("client", job.client())
				.tag("model", model)
				.register(this.registry)
				.increment(job.outputUrls().size());
		}
		Instant completed = job.completedAt();
		JobCache cache = job.cache();
		// a result answered from the cache ran nothing: it has no lag to show
		if (completed != null && (cache == null || cache.hitOf() == null)) {
			// the upstream's clock against ours: a skew never counts as negative
			Duration lag = Duration.between(completed, this.clock.instant());
			Timer.builder("gateway.jobs.completion.lag")
				.description("How long after the upstream finished a job the gateway knew: the polling or "
						+ "callback delay callers wait on top of the model")
				.tag("upstream", job.upstream())
				.publishPercentileHistogram()
				.register(this.registry)
				.record(lag.isNegative() ? Duration.ZERO : lag);
		}
		if (job.predictTimeSeconds() != null) {
			DistributionSummary.builder("gateway.upstream.predict.time")
				.description("Seconds the model ran, as the upstream reports it")
				.baseUnit("seconds")
				.tag("model", model)
				.publishPercentileHistogram()
				.register(this.registry)
				.record(job.predictTimeSeconds());
		}
	}

	private String model(Job job) {
		String path = job.modelPath();
		return this.knownModels.get().contains(path) ? path : OTHER_MODEL;
	}

}
