package com.imagegateway.clients;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits for clients that do not set their own.
 *
 * @param limits the default limits
 * @param budget the budget of clients that set none; unset: no budget
 * @param prompt the prompt rules of clients that set none
 * @param defaultCancelAfter the deadline of jobs created without {@code cancelAfter}, for
 * clients that set none; unset: none
 * @param maxCancelAfter the longest {@code cancelAfter} a create may ask for, for clients
 * that set none; unset: 24 h, the API's own bound
 */
@Validated
@ConfigurationProperties("gateway.defaults")
public record DefaultLimitsProperties(@Valid @NotNull @DefaultValue Limits limits, @Valid @Nullable ClientBudget budget,
		@Valid @Nullable PromptRules prompt,
		@DurationMin(seconds = 5) @DurationMax(hours = 24) @Nullable Duration defaultCancelAfter,
		@DurationMin(seconds = 5) @DurationMax(hours = 24) @Nullable Duration maxCancelAfter) {

	PromptRules promptOrNone() {
		return (this.prompt != null) ? this.prompt : PromptRules.NONE;
	}

	JobDeadlines deadlines() {
		return new JobDeadlines(this.defaultCancelAfter, this.maxCancelAfter);
	}

	/**
	 * @param creates default creates per period
	 * @param reads default reads per period
	 * @param concurrentJobs default cap on running jobs; 0 means none
	 */
	public record Limits(@Valid @NotNull @DefaultValue ClientRate creates, @Valid @NotNull @DefaultValue ReadRate reads,
			@DefaultValue("0") int concurrentJobs) {

		public ClientLimits asClientLimits() {
			return new ClientLimits(new ClientLimits.Rate(this.creates.permits(), this.creates.period()),
					new ClientLimits.Rate(this.reads.permits(), this.reads.period()),
					(this.concurrentJobs > 0) ? this.concurrentJobs : null);
		}

	}

	/**
	 * @param permits creates per period
	 * @param period the period
	 */
	public record ClientRate(@DefaultValue("60") int permits, @NotNull @DefaultValue("1m") Duration period) {
	}

	/**
	 * @param permits reads per period
	 * @param period the period
	 */
	public record ReadRate(@DefaultValue("600") int permits, @NotNull @DefaultValue("1m") Duration period) {
	}

}
