package com.imagegateway.spend;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import com.imagegateway.images.Job;
import com.imagegateway.images.JobCharge;

import org.springframework.stereotype.Component;

/**
 * {@code gateway_spend_total{client, model, currency}}, counted once per finished job
 * across replicas (sum them), {@code gateway_spend_unpriced_total{client, model}} and
 * {@code gateway_budget_spent_ratio{client}}, as of the client's latest create on this
 * replica (take the highest across replicas).
 */
@Component
class SpendMetrics {

	private final MeterRegistry registry;

	/**
	 * Each client's spent share of its budget, in millionths (a gauge reads a number).
	 */
	private final Map<String, AtomicLong> spentShares = new ConcurrentHashMap<>();

	SpendMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void finished(Job job) {
		JobCharge charge = job.charge();
		if (charge == null) {
			return;
		}
		if (charge.priced() == JobCharge.Priced.UNKNOWN) {
			Counter.builder("gateway.spend.unpriced")
				.description("Finished jobs whose model has no price: their cost is unknown")
				.tag("client", job.client())
				.tag("model", job.modelPath())
				.register(this.registry)
				.increment();
			return;
		}
		Counter.builder("gateway.spend")
			.description("What finished jobs cost, in the pricing currency")
			.tag("client", job.client())
			.tag("model", job.modelPath())
			.tag("currency", charge.currency())
			.register(this.registry)
			.increment(charge.amount().doubleValue());
	}

	void budgetSpent(String client, long spentMicros, long limitMicros) {
		long share = (limitMicros == 0) ? 1_000_000 : Math.round(spentMicros * 1_000_000.0 / limitMicros);
		this.spentShares.computeIfAbsent(client, (name) -> {
			AtomicLong value = new AtomicLong();
			Gauge.builder("gateway.budget.spent.ratio", value, (held) -> held.get() / 1_000_000.0)
				.description("The share of its budget the client has spent in the current period")
				.tag("client", name)
				.register(this.registry);
			return value;
		}).set(share);
	}

}
