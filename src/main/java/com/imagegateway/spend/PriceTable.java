package com.imagegateway.spend;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import com.imagegateway.upstream.ModelRef;

import org.springframework.stereotype.Component;

/**
 * The configured prices, indexed once: a model's price at an instant is the latest of its
 * entries in force then, a version's own entry before its model's, the table's
 * {@code default} last.
 */
@Component
class PriceTable {

	private final Map<String, List<PricingProperties.ModelPrice>> byModel = new HashMap<>();

	private final PricingProperties.@Nullable Rates fallback;

	PriceTable(PricingProperties properties) {
		for (PricingProperties.ModelPrice price : properties.models()) {
			this.byModel.computeIfAbsent(price.model(), (model) -> new ArrayList<>()).add(price);
		}
		// latest first; a price without a date is in force since always
		Comparator<PricingProperties.ModelPrice> byStart = Comparator
			.comparing((price) -> (price.effectiveFrom() != null) ? price.effectiveFrom() : Instant.MIN);
		this.byModel.values().forEach((prices) -> prices.sort(byStart.reversed()));
		this.fallback = properties.fallback();
	}

	/** The model's rates for a job created at {@code at}, if it has any. */
	Optional<PricingProperties.Rates> at(ModelRef model, @Nullable String versionRun, Instant at) {
		String version = (model.version() != null) ? model.version() : versionRun;
		if (version != null) {
			Optional<PricingProperties.Rates> versioned = inForce(model.path() + ":" + version, at);
			if (versioned.isPresent()) {
				return versioned;
			}
		}
		return inForce(model.path(), at).or(() -> Optional.ofNullable(this.fallback));
	}

	private Optional<PricingProperties.Rates> inForce(String model, Instant at) {
		for (PricingProperties.ModelPrice price : this.byModel.getOrDefault(model, List.of())) {
			if (price.effectiveFrom() == null || !price.effectiveFrom().isAfter(at)) {
				return Optional.of(price.rates());
			}
		}
		return Optional.empty();
	}

}
