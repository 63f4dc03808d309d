package com.imagegateway.ratelimit;

import java.time.Duration;

import reactor.core.publisher.Mono;

import com.imagegateway.clients.ClientLimits;

/**
 * Counts calls in fixed windows: each {@link ClientLimits.Rate} allows {@code permits}
 * calls per {@code period}, refilled whole when the period ends. Kept in this process, or
 * in Redis so that every replica spends one budget.
 */
public interface RateWindows {

	/**
	 * Counts one call against {@code key}'s current window; a shared implementation may
	 * serve it from permits this replica took in advance.
	 */
	Mono<WindowUse> take(String key, ClientLimits.Rate rate);

	/** Counts one call in the window's own store, never from permits taken in advance. */
	default Mono<WindowUse> takeFromStore(String key, ClientLimits.Rate rate) {
		return take(key, rate);
	}

	/**
	 * @param permitted whether this call fits in the window
	 * @param remaining calls left in this window
	 * @param resetIn time until the window refills
	 */
	record WindowUse(boolean permitted, int remaining, Duration resetIn) {
	}

}
