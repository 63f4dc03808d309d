package com.imagegateway.spend;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import org.jspecify.annotations.Nullable;

import com.imagegateway.upstream.ModelRef;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.validation.annotation.Validated;

/**
 * What the upstream charges, so that every job is priced and every client's spend known.
 *
 * @param currency the one currency of every price and budget (ISO 4217)
 * @param required whether a create of a model with no price is refused
 * ({@code 403 model_not_priced}); otherwise such a job is recorded with its cost unknown
 * and counted in {@code gateway_spend_unpriced_total}
 * @param models the price of each model, as {@code owner/name} or
 * {@code owner/name:version}; a model may be listed again with a later
 * {@code effective-from}
 * @param fallback the price of models the table does not name ({@code default}); unset:
 * they have none
 * @param usageRetention how long the usage counters (per client, day and model) are kept
 */
@Validated
@ConfigurationProperties("gateway.pricing")
public record PricingProperties(@NotNull @Pattern(regexp = "[A-Z]{3}") @DefaultValue("USD") String currency,
		@DefaultValue("false") boolean required, @DefaultValue List<@Valid @NotNull ModelPrice> models,
		@Name("default") @Valid @Nullable Rates fallback, @NotNull @DefaultValue("400d") Duration usageRetention) {

	/**
	 * One model's price from a date on.
	 *
	 * @param model {@code owner/name}, or {@code owner/name:version} for one version
	 * @param perImage per output image the upstream produced
	 * @param perSecond per second of the upstream's {@code metrics.predict_time}
	 * @param estimateSeconds the seconds a create reserves against its client's budget
	 * for a per-second price
	 * @param effectiveFrom when this price starts; a job is priced at the price in force
	 * when it was created. Unset: always
	 */
	public record ModelPrice(
			@NotNull @Pattern(regexp = ModelRef.SYNTAX,
					message = "must be owner/name or owner/name:version") String model,
			@PositiveOrZero BigDecimal perImage, @PositiveOrZero BigDecimal perSecond,
			@PositiveOrZero BigDecimal estimateSeconds, @Nullable Instant effectiveFrom) {

		public Rates rates() {
			return new Rates(this.perImage, this.perSecond, this.estimateSeconds);
		}

		@AssertTrue(message = "needs per-image or per-second, and estimate-seconds with per-second")
		public boolean isPriced() {
			return rates().isPriced();
		}

	}

	/**
	 * @param perImage per output image the upstream produced
	 * @param perSecond per second of the upstream's {@code metrics.predict_time}
	 * @param estimateSeconds the seconds a create reserves for a per-second price
	 */
	public record Rates(@PositiveOrZero BigDecimal perImage, @PositiveOrZero BigDecimal perSecond,
			@PositiveOrZero BigDecimal estimateSeconds) {

		public Rates {
			perImage = (perImage != null) ? perImage : BigDecimal.ZERO;
			perSecond = (perSecond != null) ? perSecond : BigDecimal.ZERO;
			estimateSeconds = (estimateSeconds != null) ? estimateSeconds : BigDecimal.ZERO;
		}

		@AssertTrue(message = "needs per-image or per-second, and estimate-seconds with per-second")
		public boolean isPriced() {
			boolean perSecondEstimated = this.perSecond.signum() == 0 || this.estimateSeconds.signum() > 0;
			return (this.perImage.signum() > 0 || this.perSecond.signum() > 0) && perSecondEstimated;
		}

		/** What a create of {@code images} images reserves. */
		BigDecimal estimate(int images) {
			return this.perImage.multiply(BigDecimal.valueOf(images))
				.add(this.perSecond.multiply(this.estimateSeconds));
		}

		/**
		 * What a job that produced {@code images} and ran {@code predictSeconds} costs.
		 */
		BigDecimal cost(int images, BigDecimal predictSeconds) {
			return this.perImage.multiply(BigDecimal.valueOf(images)).add(this.perSecond.multiply(predictSeconds));
		}

	}

}
