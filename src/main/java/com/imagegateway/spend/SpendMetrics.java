package com.imagegateway.spend;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Predicate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

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
 * replica (take the highest across replicas), and
 * {@code gateway_budget_alert_ratio{client}}, its budget's {@code alert-at}, so that one
 * alert rule compares each client with its own threshold (NaN, never crossed, for a
 * budget without one). Tags stay bounded: a model neither priced nor named in an
 * allow-list is {@code other}.
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

	/** Each client's budget's {@code alert-at}, in millionths; -1 for none. */
	private final Map<String, AtomicLong> alertShares = new ConcurrentHashMap<>();

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

	/**
	 * @param alertAt the budget's {@code alert-at}, if it has one
	 */
	void budgetSpent(String client, long spentMicros, long limitMicros, @Nullable BigDecimal alertAt) {
		long share = (limitMicros == 0) ? 1_000_000 : Math.round(spentMicros * 1_000_000.0 / limitMicros);
		share(this.spentShares, "gateway.budget.spent.ratio",
				"The share of its budget the client has spent in the current period", client)
			.set(share);
		share(this.alertShares, "gateway.budget.alert.ratio",
				"The share of its budget at which the client's budget alert is due (alert-at)", client)
			.set((alertAt != null) ? alertAt.movePointRight(6).longValue() : -1);
	}

	private AtomicLong share(Map<String, AtomicLong> shares, String name, String description, String client) {
		return shares.computeIfAbsent(client, (any) -> {
			AtomicLong value = new AtomicLong();
			Gauge.builder(name, value, (held) -> (held.get() < 0) ? Double.NaN : held.get() / 1_000_000.0)
				.description(description)
				.tag("client", client)
				.register(this.registry);
			return value;
		});
	}

}
