package com.imagegateway.spend;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import com.imagegateway.system.Problems;

/**
 * The whole UTC days a usage query covers, {@code from} up to {@code until} (exclusive):
 * usage is counted per day, so an instant that is not a midnight widens the range to its
 * whole day. Without bounds, the current calendar month.
 */
record UsageRange(LocalDate from, LocalDate until) {

	static UsageRange parse(@Nullable String from, @Nullable String to, Instant now, Duration longest) {
		LocalDate monthStart = LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1);
		LocalDate first = (from != null) ? day(from, "from", false) : monthStart;
		LocalDate until = (to != null) ? day(to, "to", true) : monthStart.plusMonths(1);
		if (from != null && to == null && !until.isAfter(first)) {
			until = first.plusMonths(1);
		}
		if (!until.isAfter(first)) {
			throw Problems.invalidField("to", "must be after from");
		}
		if (ChronoUnit.DAYS.between(first, until) > longest.toDays()) {
			throw Problems.invalidField("to", "must be at most " + longest.toDays()
					+ " days after from, as long as usage is kept (gateway.pricing.usage-retention)");
		}
		return new UsageRange(first, until);
	}

	/**
	 * A date, or an instant: its day, or for an upper bound the day after unless it is a
	 * midnight.
	 */
	private static LocalDate day(String value, String name, boolean upper) {
		try {
			if (value.length() == 10) {
				return LocalDate.parse(value);
			}
			Instant at = Instant.parse(value);
			LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
			boolean midnight = at.atZone(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT);
			return (upper && !midnight) ? day.plusDays(1) : day;
		}
		catch (DateTimeParseException ex) {
			throw Problems.invalidField(name, "must be a date (2026-12-01) or an instant (2026-12-01T00:00:00Z)");
		}
	}

}
