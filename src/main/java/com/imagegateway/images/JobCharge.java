package com.imagegateway.images;

import java.math.BigDecimal;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What a job costs and what it counts for in its client's usage. Amounts are whole
 * micro-units of the pricing currency (1 = 0.000001), so that sums are exact.
 *
 * @param currency the pricing currency, as configured when the job was priced
 * @param pricedAt when the gateway created the job: the prices in force then apply, and
 * the job counts in the usage of that UTC day and in that day's budget period
 * @param priced whether {@code amountMicros} is final, an estimate (the job runs) or
 * unknown (its model has no price)
 * @param amountMicros the cost: estimated while the job runs, final once it finished; 0
 * when unknown
 * @param reservedMicros what its create reserved against the client's budget, given back
 * when the job finishes (its cost counts instead)
 * @param budgetPeriod the budget period the reservation was made in, such as
 * {@code month:2026-12-01}; null when the client has no budget
 * @param images images produced that count (those of a succeeded job)
 * @param predictMicros the upstream's predict time, in microseconds
 * @param finished whether this is the finished job's charge, never to change again
 */
public record JobCharge(String currency, Instant pricedAt, Priced priced, long amountMicros, long reservedMicros,
		@Nullable String budgetPeriod, int images, long predictMicros, boolean finished) {

	/** Micro-units per currency unit. */
	public static final long MICROS = 1_000_000;

	/** The amount in currency units, six decimal places. */
	public BigDecimal amount() {
		return BigDecimal.valueOf(this.amountMicros, 6);
	}

	/** How far a job's cost is known. */
	public enum Priced {

		FINAL, ESTIMATED, UNKNOWN;

		public String value() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

}
