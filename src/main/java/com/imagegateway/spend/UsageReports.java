package com.imagegateway.spend;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import com.imagegateway.clients.ClientBudget;
import com.imagegateway.clients.GatewayClient;

import org.springframework.stereotype.Component;

/** Sums the {@link UsageLedger}'s daily counts into reports, and a client's budget. */
@Component
class UsageReports {

	private final UsageLedger ledger;

	private final PricingProperties properties;

	private final Clock clock;

	UsageReports(UsageLedger ledger, PricingProperties properties, Clock clock) {
		this.ledger = ledger;
		this.properties = properties;
		this.clock = clock;
	}

	/** One client's usage, with its budget. */
	Mono<UsageReport> of(GatewayClient client, UsageRange range, Grouping groupBy) {
		Mono<UsageReport> report = report(range, groupBy, client.name());
		ClientBudget budget = client.budget();
		if (budget == null) {
			return report;
		}
		return report.zipWith(budget(client.name(), budget), (usage, state) -> new UsageReport(usage.currency(),
				usage.from(), usage.to(), usage.groupBy(), usage.total(), usage.groups(), state));
	}

	/** Every client's usage, for the operators. */
	Mono<UsageReport> ofAll(UsageRange range, Grouping groupBy) {
		return report(range, groupBy, null);
	}

	private Mono<UsageReport> report(UsageRange range, Grouping groupBy, @Nullable String client) {
		return this.ledger.usage(range.from(), range.until(), client).collectList().map((counts) -> {
			Map<String, Sum> groups = new TreeMap<>();
			Sum total = new Sum();
			for (UsageLedger.UsageCount count : counts) {
				total.add(count);
				groups.computeIfAbsent(groupBy.key.apply(count), (key) -> new Sum()).add(count);
			}
			List<UsageReport.Group> rows = groups.entrySet()
				.stream()
				.map((group) -> group.getValue().group(group.getKey()))
				.toList();
			return new UsageReport(this.properties.currency(), range.from(), range.until(), groupBy.value(),
					total.counts(), rows, null);
		});
	}

	private Mono<UsageReport.BudgetState> budget(String client, ClientBudget budget) {
		Instant now = this.clock.instant();
		UsageLedger.BudgetWindow window = Spending.window(budget.period(), now);
		Mono<Long> spent = this.ledger.usage(window.days().getFirst(), window.days().getLast().plusDays(1), client)
			.map(UsageLedger.UsageCount::costMicros)
			.reduce(0L, Long::sum);
		return Mono.zip(spent, this.ledger.reserved(client, window.period())).map((held) -> {
			BigDecimal amount = budget.amount();
			BigDecimal spentAmount = BigDecimal.valueOf(held.getT1(), 6);
			BigDecimal reserved = BigDecimal.valueOf(held.getT2(), 6);
			BigDecimal remaining = amount.subtract(spentAmount).subtract(reserved).max(BigDecimal.ZERO).setScale(6);
			return new UsageReport.BudgetState(amount, budget.period().value(), spentAmount, reserved, remaining,
					window.end());
		});
	}

	/** What a report's groups are. */
	enum Grouping {

		CLIENT(UsageLedger.UsageCount::client), MODEL(UsageLedger.UsageCount::model),
		DAY((count) -> count.day().toString());

		private final Function<UsageLedger.UsageCount, String> key;

		Grouping(Function<UsageLedger.UsageCount, String> key) {
			this.key = key;
		}

		String value() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	/** Running sums in micro-units. */
	private static final class Sum {

		private long jobs;

		private long images;

		private long predictMicros;

		private long costMicros;

		private long unpriced;

		void add(UsageLedger.UsageCount count) {
			this.jobs += count.jobs();
			this.images += count.images();
			this.predictMicros += count.predictMicros();
			this.costMicros += count.costMicros();
			this.unpriced += count.unpriced();
		}

		UsageReport.Counts counts() {
			return new UsageReport.Counts(this.jobs, this.images, BigDecimal.valueOf(this.predictMicros, 6),
					BigDecimal.valueOf(this.costMicros, 6), this.unpriced);
		}

		UsageReport.Group group(String key) {
			return new UsageReport.Group(key, this.jobs, this.images, BigDecimal.valueOf(this.predictMicros, 6),
					BigDecimal.valueOf(this.costMicros, 6), this.unpriced);
		}

	}

}
