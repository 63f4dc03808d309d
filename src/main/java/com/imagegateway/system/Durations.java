package com.imagegateway.system;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.springframework.boot.convert.DurationStyle;

/**
 * Durations as an operator writes them in the configuration: {@code 10s}, {@code 30m},
 * {@code 1d}.
 */
public final class Durations {

	private Durations() {
	}

	/** In the largest unit that divides it. */
	public static String readable(Duration duration) {
		for (ChronoUnit unit : List.of(ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES, ChronoUnit.SECONDS)) {
			if (duration.toMillis() % unit.getDuration().toMillis() == 0) {
				return DurationStyle.SIMPLE.print(duration, unit);
			}
		}
		return DurationStyle.SIMPLE.print(duration);
	}

}
