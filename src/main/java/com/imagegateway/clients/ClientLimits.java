package com.imagegateway.clients;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

/**
 * What one client may do; an unset part falls back to {@code gateway.defaults.limits}.
 *
 * @param creates how many jobs it may create per period
 * @param reads how many other calls (reads, lists, cancels) it may make per period
 * @param concurrentJobs how many of its jobs may run at once; unset means no cap
 */
public record ClientLimits(@Valid @Nullable Rate creates, @Valid @Nullable Rate reads,
		@Min(1) @Nullable Integer concurrentJobs) {

	public static final ClientLimits NONE = new ClientLimits(null, null, null);

	/**
	 * @param permits calls allowed per period
	 * @param period the period the permits refill in
	 */
	public record Rate(@Min(1) int permits, @NotNull Duration period) {
	}

	public ClientLimits orElse(ClientLimits defaults) {
		return new ClientLimits((this.creates != null) ? this.creates : defaults.creates,
				(this.reads != null) ? this.reads : defaults.reads,
				(this.concurrentJobs != null) ? this.concurrentJobs : defaults.concurrentJobs);
	}

}
