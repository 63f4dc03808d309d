package com.imagegateway.clients;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import org.jspecify.annotations.Nullable;

/**
 * How much a client may spend per calendar period (UTC), in the pricing currency.
 *
 * @param amount what it may spend per period; 0 stops every priced create
 * @param period {@code day}, {@code week} (from Monday) or {@code month}
 * @param alertAt the share of the amount at which a WARN is logged, once per client and
 * period; unset: none
 */
public record ClientBudget(@NotNull @PositiveOrZero BigDecimal amount, @NotNull Period period,
		@DecimalMin("0.0") @DecimalMax("1.0") @Nullable BigDecimal alertAt) {

	/** A UTC calendar period. */
	public enum Period {

		DAY, WEEK, MONTH;

		/** The first day of the period that holds {@code at}. */
		public LocalDate start(Instant at) {
			LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
			return switch (this) {
				case DAY -> day;
				case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
				case MONTH -> day.withDayOfMonth(1);
			};
		}

		/** The first day after the period that starts on {@code start}. */
		public LocalDate end(LocalDate start) {
			return switch (this) {
				case DAY -> start.plusDays(1);
				case WEEK -> start.plusWeeks(1);
				case MONTH -> start.plusMonths(1);
			};
		}

		public String value() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

}
