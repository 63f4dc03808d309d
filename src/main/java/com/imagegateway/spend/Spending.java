package com.imagegateway.spend;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import com.imagegateway.clients.ClientBudget;
import com.imagegateway.clients.GatewayClient;
import com.imagegateway.images.Job;
import com.imagegateway.images.JobCharge;
import com.imagegateway.images.JobSpending;
import com.imagegateway.images.JobStatus;
import com.imagegateway.system.GatewayException;
import com.imagegateway.upstream.ModelRef;
import com.imagegateway.upstream.Upstreams;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Prices jobs from the {@link PriceTable} and holds clients to their budgets through the
 * {@link UsageLedger}. A finished job costs {@code per-image} × the images the upstream
 * produced + {@code per-second} × its predict time; a failed or canceled one its predict
 * time only, an aborted one and a sandbox one nothing.
 */
@Component
class Spending implements JobSpending {

	private static final Log logger = LogFactory.getLog(Spending.class);

	/** The sandbox's price: it costs nothing, and is still counted. */
	private static final PricingProperties.Rates FREE = new PricingProperties.Rates(BigDecimal.ZERO, BigDecimal.ZERO,
			BigDecimal.ZERO);

	private final PriceTable prices;

	private final PricingProperties properties;

	private final UsageLedger ledger;

	private final SpendMetrics metrics;

	Spending(PriceTable prices, PricingProperties properties, UsageLedger ledger, SpendMetrics metrics) {
		this.prices = prices;
		this.properties = properties;
		this.ledger = ledger;
		this.metrics = metrics;
	}

	@Override
	public Mono<JobCharge> reserve(GatewayClient client, ModelRef model, int images, Instant now) {
		Optional<PricingProperties.Rates> rates = client.upstream().equals(Upstreams.SANDBOX) ? Optional.of(FREE)
				: this.prices.at(model, null, now);
		if (rates.isEmpty() && this.properties.required()) {
			return Mono.error(new GatewayException(HttpStatus.FORBIDDEN, "model_not_priced", "Model not priced",
					"The gateway has no price for " + model.path() + ", and prices are required."));
		}
		long estimate = rates.map((known) -> micros(known.estimate(images))).orElse(0L);
		JobCharge.Priced priced = rates.isPresent() ? JobCharge.Priced.ESTIMATED : JobCharge.Priced.UNKNOWN;
		ClientBudget budget = client.budget();
		if (budget == null) {
			return Mono.just(new JobCharge(this.properties.currency(), now, priced, estimate, 0, null, 0, 0, false));
		}
		UsageLedger.BudgetWindow window = window(budget.period(), now);
		long limit = micros(budget.amount());
		long alert = (budget.alertAt() != null) ? micros(budget.amount().multiply(budget.alertAt())) : -1;
		return this.ledger.reserve(client.name(), window, limit, estimate, alert).map((reservation) -> {
			this.metrics.budgetSpent(client.name(), reservation.spentMicros(), limit, budget.alertAt());
			if (reservation.alertNow()) {
				logger.warn("Client " + client.name() + " has spent or reserved " + money(reservation.spentMicros())
						+ " + " + money(reservation.reservedMicros()) + " of its budget of " + budget.amount() + " "
						+ this.properties.currency() + " per " + budget.period().value() + " (alert at "
						+ budget.alertAt() + ")");
			}
			if (!reservation.admitted()) {
				throw exhausted(budget, reservation, window, now);
			}
			return new JobCharge(this.properties.currency(), now, priced, estimate, estimate, window.period(), 0, 0,
					false);
		});
	}

	@Override
	public Mono<Void> release(String client, JobCharge reserved) {
		if (reserved.budgetPeriod() == null || reserved.reservedMicros() == 0) {
			return Mono.empty();
		}
		return this.ledger.release(client, reserved.budgetPeriod(), reserved.reservedMicros());
	}

	@Override
	public JobCharge free(Instant now) {
		return new JobCharge(this.properties.currency(), now, JobCharge.Priced.FINAL, 0, 0, null, 0, 0, true);
	}

	@Override
	public JobCharge finalCharge(Job finished) {
		JobCharge charge = finished.charge();
		if (charge != null && charge.finished()) {
			return charge;
		}
		String currency = (charge != null) ? charge.currency() : this.properties.currency();
		Instant pricedAt = (charge != null) ? charge.pricedAt() : finished.createdAt();
		long reserved = (charge != null) ? charge.reservedMicros() : 0;
		String period = (charge != null) ? charge.budgetPeriod() : null;
		boolean succeeded = finished.status() == JobStatus.SUCCEEDED;
		int images = succeeded ? finished.outputUrls().size() : 0;
		BigDecimal predictSeconds = (finished.status() == JobStatus.ABORTED || finished.predictTimeSeconds() == null)
				? BigDecimal.ZERO : BigDecimal.valueOf(finished.predictTimeSeconds());
		long predictMicros = micros(predictSeconds);
		Optional<PricingProperties.Rates> rates = finished.upstream().equals(Upstreams.SANDBOX) ? Optional.of(FREE)
				: this.prices.at(ModelRef.parse(finished.model()), finished.version(), pricedAt);
		if (rates.isEmpty()) {
			return new JobCharge(currency, pricedAt, JobCharge.Priced.UNKNOWN, 0, reserved, period, images,
					predictMicros, true);
		}
		long cost = micros(rates.get().cost(images, predictSeconds));
		return new JobCharge(currency, pricedAt, JobCharge.Priced.FINAL, cost, reserved, period, images, predictMicros,
				true);
	}

	@Override
	public void finished(Job job) {
		this.metrics.finished(job);
	}

	/** The budget period holding {@code now}, with its days. */
	static UsageLedger.BudgetWindow window(ClientBudget.Period period, Instant now) {
		LocalDate start = period.start(now);
		LocalDate end = period.end(start);
		List<LocalDate> days = new ArrayList<>();
		for (LocalDate day = start; day.isBefore(end); day = day.plusDays(1)) {
			days.add(day);
		}
		return new UsageLedger.BudgetWindow(period.value() + ":" + start, List.copyOf(days),
				end.atStartOfDay(ZoneOffset.UTC).toInstant());
	}

	private GatewayException exhausted(ClientBudget budget, UsageLedger.Reservation reservation,
			UsageLedger.BudgetWindow window, Instant now) {
		return new GatewayException(HttpStatus.TOO_MANY_REQUESTS, "budget_exhausted", "Budget exhausted",
				"Your client's budget of " + budget.amount().toPlainString() + " " + this.properties.currency()
						+ " per " + budget.period().value() + " cannot hold this job: spent "
						+ money(reservation.spentMicros()) + ", reserved by running jobs "
						+ money(reservation.reservedMicros()) + ". It renews at " + window.end() + ".")
			.withRetryAfter(Duration.between(now, window.end()));
	}

	/**
	 * An amount in whole micro-units, rounded half to even (exact decimal arithmetic).
	 */
	static long micros(BigDecimal amount) {
		return amount.setScale(6, RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
	}

	static String money(long micros) {
		return BigDecimal.valueOf(micros, 6).toPlainString();
	}

}
