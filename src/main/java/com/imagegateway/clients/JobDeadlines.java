package com.imagegateway.clients;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How long a client's jobs may run upstream ({@code cancelAfter}); an unset part falls
 * back to {@code gateway.defaults}.
 *
 * @param defaultCancelAfter the deadline of a job created without {@code cancelAfter}
 * @param maxCancelAfter the longest {@code cancelAfter} a create may ask for; a longer
 * one is refused
 */
public record JobDeadlines(@Nullable Duration defaultCancelAfter, @Nullable Duration maxCancelAfter) {

	public static final JobDeadlines NONE = new JobDeadlines(null, null);

	JobDeadlines orElse(JobDeadlines defaults) {
		return new JobDeadlines(
				(this.defaultCancelAfter != null) ? this.defaultCancelAfter : defaults.defaultCancelAfter,
				(this.maxCancelAfter != null) ? this.maxCancelAfter : defaults.maxCancelAfter);
	}

	/** Whether a create may ask for this deadline. */
	public boolean allows(@Nullable Duration asked) {
		return asked == null || this.maxCancelAfter == null || asked.compareTo(this.maxCancelAfter) <= 0;
	}

	/** The deadline a job runs under: the one asked for, or the default. */
	public @Nullable Duration cancelAfter(@Nullable Duration asked) {
		return (asked != null) ? asked : this.defaultCancelAfter;
	}

}
