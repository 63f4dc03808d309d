package com.imagegateway.spend;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Each client's usage per UTC day and model, and the reservations its running creates
 * hold against its budget, as one ledger for all replicas (or this process's, with the
 * memory store). A finished job is counted by the job store in the step that records the
 * finish ({@link com.imagegateway.images.JobStore#save}); amounts are micro-units.
 */
public interface UsageLedger {

	/**
	 * Atomically: when what the client spent in the window's days, plus what it holds
	 * reserved, plus {@code estimateMicros} stays within {@code limitMicros}, reserves
	 * the estimate. An estimate of 0 is admitted while something is left.
	 * @param alertMicros the spend (with reservations) at which the budget's alert fires,
	 * once per client and window; negative for none
	 */
	Mono<Reservation> reserve(String client, BudgetWindow window, long limitMicros, long estimateMicros,
			long alertMicros);

	/** Gives back a reservation made in the window {@code period}. */
	Mono<Void> release(String client, String period, long micros);

	/** What the client holds reserved in the window {@code period}. */
	Mono<Long> reserved(String client, String period);

	/**
	 * The counts of every day from {@code from} until {@code until} (exclusive), of one
	 * client or, when null, of all.
	 */
	Flux<UsageCount> usage(LocalDate from, LocalDate until, @Nullable String client);

	/**
	 * A budget period.
	 *
	 * @param period its name, such as {@code month:2026-12-01}
	 * @param days its days
	 * @param end when it ends
	 */
	record BudgetWindow(String period, List<LocalDate> days, Instant end) {
	}

	/**
	 * @param admitted whether the estimate was reserved
	 * @param spentMicros what the client spent in the window
	 * @param reservedMicros what it holds reserved, this reservation included when
	 * admitted
	 * @param alertNow whether this reservation crossed the alert threshold (once per
	 * client and window)
	 */
	record Reservation(boolean admitted, long spentMicros, long reservedMicros, boolean alertNow) {
	}

	/**
	 * What one client's finished jobs of one model, created on one day, counted for.
	 *
	 * @param unpriced how many of them had no price (their cost counts 0)
	 */
	record UsageCount(LocalDate day, String client, String model, long jobs, long images, long predictMicros,
			long costMicros, long unpriced) {
	}

}
