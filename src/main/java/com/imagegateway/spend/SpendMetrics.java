package com.imagegateway.spend;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Predicate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import com.imagegateway.clients.ClientRegistry;
import com.imagegateway.images.Job;
import com.imagegateway.images.JobCharge;
import com.imagegateway.upstream.ModelRef;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * {@code gateway_spend_total{client, model, currency}}, counted once per finished job
 * across replicas (sum them), {@code gateway_spend_unpriced_total{client, model}} and
 * {@code gateway_budget_spent_ratio{client}}, as of the client's latest create on this
 * replica (take the highest across replicas). Tags stay bounded: a model neither priced
 * nor named in an allow-list is {@code other}.
 */
@Component
class SpendMetrics {

	private static final String OTHER_MODEL = "other";

	private final MeterRegistry registry;

	/**
	 * The models clients are limited to now and the priced ones: what jobs are tagged by.
	 */
	private final Predicate<String> knownModel;

	/**
	 * Each client's spent share of its budget, in millionths (a gauge reads a number).
	 */
	private final Map<String, AtomicLong> spentShares = new ConcurrentHashMap<>();

	@Autowired
	SpendMetrics(MeterRegistry registry, ClientRegistry clients, PricingProperties pricing) {
		this.registry = registry;
		Set<String> priced = pricing.models()
			.stream()
			.map((price) -> ModelRef.parse(price.model()).path())
			.collect(Collectors.toUnmodifiableSet());
		this.knownModel = (model) -> priced.contains(model) || clients.models().contains(model);
	}

	SpendMetrics(MeterRegistry registry, Set<String> knownModels) {
		this.registry = registry;
		this.knownModel = Set.copyOf(knownModels)::contains;
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
				.tag("model", model(job))
				.register(this.registry)
				.increment();
			return;
		}
		Counter.builder("gateway.spend")
			.description("What finished jobs cost, in the pricing currency")
			.tag("client", job.client())
			.tag("model", model(job))
			.tag("currency", charge.currency())
			.register(this.registry)
			.increment(charge.amount().doubleValue());
	}

	private String model(Job job) {
		String model = job.modelPath();
		return this.knownModel.test(model) ? model : OTHER_MODEL;
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
