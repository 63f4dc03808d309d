package com.imagegateway.spend;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** What jobs counted for over a range of UTC days, in total and by group. */
@Schema(name = "Usage", description = "What finished jobs counted for over a range of whole UTC days, by the day "
		+ "they were created.")
record UsageReport(
		@Schema(description = "The pricing currency (ISO 4217).", example = "USD",
				requiredMode = Schema.RequiredMode.REQUIRED) String currency,
		@Schema(description = "The first day counted.", requiredMode = Schema.RequiredMode.REQUIRED) LocalDate from,
		@Schema(description = "The day after the last day counted.",
				requiredMode = Schema.RequiredMode.REQUIRED) LocalDate to,
		@Schema(description = "What the groups are.", allowableValues = {
				"client", "model", "day" }, requiredMode = Schema.RequiredMode.REQUIRED) String groupBy,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Counts total,
		@Schema(description = "One per client, model or day with jobs, in the order of their keys.",
				requiredMode = Schema.RequiredMode.REQUIRED) List<Group> groups,
		@Schema(description = "The client's budget in its current period; absent when it has none, and on the "
				+ "operators' view.") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable BudgetState budget){

	@Schema(name = "UsageCounts", description = "What a set of finished jobs counted for.")
	record Counts(@Schema(description = "Finished jobs.", requiredMode = Schema.RequiredMode.REQUIRED) long jobs,
			@Schema(description = "Images produced (by succeeded jobs).",
					requiredMode = Schema.RequiredMode.REQUIRED) long images,
			@Schema(description = "Seconds the model ran, as the model provider reported them.", example = "12.345678",
					requiredMode = Schema.RequiredMode.REQUIRED) BigDecimal predictSeconds,
			@Schema(description = "What they cost, exact to six decimal places.", example = "0.036000",
					requiredMode = Schema.RequiredMode.REQUIRED) BigDecimal cost,
			@Schema(description = "How many of them had no price: their cost is unknown and counted as 0.",
					requiredMode = Schema.RequiredMode.REQUIRED) long unpricedJobs) {
	}

	@Schema(name = "UsageGroup", description = "What one client's, model's or day's finished jobs counted for.")
	record Group(
			@Schema(description = "The client's name, the model (`owner/name`) or the day (`YYYY-MM-DD`).",
					requiredMode = Schema.RequiredMode.REQUIRED) String key,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) long jobs,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) long images,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) BigDecimal predictSeconds,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) BigDecimal cost,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) long unpricedJobs) {
	}

	@Schema(name = "BudgetState", description = "A client's budget in its current period.")
	record BudgetState(
			@Schema(description = "What it may spend per period.",
					requiredMode = Schema.RequiredMode.REQUIRED) BigDecimal amount,
			@Schema(allowableValues = {
					"day", "week", "month" }, requiredMode = Schema.RequiredMode.REQUIRED) String period,
			@Schema(description = "What its finished jobs created this period cost.",
					requiredMode = Schema.RequiredMode.REQUIRED) BigDecimal spent,
			@Schema(description = "What its running jobs hold reserved (their estimated cost).",
					requiredMode = Schema.RequiredMode.REQUIRED) BigDecimal reserved,
			@Schema(description = "What is left to reserve, never below 0.",
					requiredMode = Schema.RequiredMode.REQUIRED) BigDecimal remaining,
			@Schema(description = "When the next period starts (UTC).",
					requiredMode = Schema.RequiredMode.REQUIRED) Instant resetsAt){
	}

}
