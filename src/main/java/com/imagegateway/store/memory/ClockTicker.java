package com.imagegateway.store.memory;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Ticker;

/** Lets cache expiry follow the application's {@link Clock}, which tests can move. */
record ClockTicker(Clock clock) implements Ticker {

	@Override
	public long read() {
		return TimeUnit.MILLISECONDS.toNanos(this.clock.millis());
	}

}
