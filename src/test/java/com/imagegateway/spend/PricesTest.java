package com.imagegateway.spend;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.imagegateway.clients.ClientLimits;
import com.imagegateway.clients.GatewayClient;
import com.imagegateway.images.Job;
import com.imagegateway.images.JobCharge;
import com.imagegateway.images.JobStatus;
import com.imagegateway.system.GatewayException;
import com.imagegateway.upstream.ModelRef;
import com.imagegateway.upstream.Upstreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every kind of job priced against amounts worked out by hand, to the micro-unit: per
 * image by the images produced, per second by the predict time (rounded half to even),
 * nothing for aborted and sandbox jobs, and the price in force when the job was created.
 */
class PricesTest {

	private static final Instant DECEMBER = Instant.parse("2026-12-05T10:00:00Z");

	private static final String SCHNELL = "black-forest-labs/flux-schnell";

	private static final String LORA = "lucataco/flux-schnell-lora";

	private final PricingProperties pricing = new PricingProperties("USD", false,
			List.of(price(SCHNELL, "0.003", null, null, null), price(LORA, null, "0.001525", "10", null),
					price(SCHNELL, "0.0035", null, null, Instant.parse("2027-01-01T00:00:00Z")),
					price("acme/pinned:v2", "0.01", null, null, null)),
			null, Duration.ofDays(400));

	private final Spending spending = spending(this.pricing);

	@Test
	void aPerImageJobCostsItsPriceTimesTheImagesProducedNotTheImagesAsked() {
		assertThat(cost(succeeded(SCHNELL, 1, null))).isEqualTo("0.003000");
		assertThat(cost(succeeded(SCHNELL, 4, null))).isEqualTo("0.012000");
		// asked for four, the model made three
		assertThat(cost(succeeded(SCHNELL, 3, null))).isEqualTo("0.009000");
	}

	@Test
	void aPerSecondJobCostsItsPredictTimeRoundedHalfToEvenToTheMicroUnit() {
		// 4.2137 s x 0.001525 = 0.0064258925
		assertThat(cost(succeeded(LORA, 1, 4.2137))).isEqualTo("0.006426");
		// 2.5 s x 0.001525 = 0.0038125: a tie, to the even micro-unit
		assertThat(cost(succeeded(LORA, 1, 2.5))).isEqualTo("0.003812");
	}

	@Test
	void anAbortedJobCostsNothingAndAFailedOrCanceledOneItsPredictTimeOnly() {
		assertThat(cost(finished(LORA, JobStatus.ABORTED, 0, 3.0))).isEqualTo("0.000000");
		assertThat(cost(finished(LORA, JobStatus.FAILED, 0, 2.0))).isEqualTo("0.003050");
		assertThat(cost(finished(LORA, JobStatus.CANCELED, 0, 1.0))).isEqualTo("0.001525");
		// a per-image model prices images only: a failed job made none
		assertThat(cost(finished(SCHNELL, JobStatus.FAILED, 0, 2.0))).isEqualTo("0.000000");
		assertThat(charge(finished(SCHNELL, JobStatus.CANCELED, 0, 2.0)).images()).isZero();
	}

	@Test
	void aSandboxJobCostsNothing() {
		Job sandbox = job(SCHNELL, null, JobStatus.SUCCEEDED, 2, 1.0, DECEMBER, Upstreams.SANDBOX);

		assertThat(charge(sandbox).priced()).isEqualTo(JobCharge.Priced.FINAL);
		assertThat(cost(sandbox)).isEqualTo("0.000000");
	}

	@Test
	void aModelWithoutAPriceHasAnUnknownCostButCountsItsImagesAndSeconds() {
		JobCharge charge = charge(succeeded("someone/unpriced", 2, 1.5));

		assertThat(charge.priced()).isEqualTo(JobCharge.Priced.UNKNOWN);
		assertThat(charge.amountMicros()).isZero();
		assertThat(charge.images()).isEqualTo(2);
		assertThat(charge.predictMicros()).isEqualTo(1_500_000);
	}

	@Test
	void aJobIsPricedAtThePriceInForceWhenItWasCreated() {
		assertThat(cost(
				job(SCHNELL, null, JobStatus.SUCCEEDED, 1, null, Instant.parse("2026-12-31T23:59:59Z"), "default")))
			.isEqualTo("0.003000");
		assertThat(cost(
				job(SCHNELL, null, JobStatus.SUCCEEDED, 1, null, Instant.parse("2027-01-01T00:00:00Z"), "default")))
			.isEqualTo("0.003500");
	}

	@Test
	void aVersionsOwnPriceComesBeforeItsModelsAndTheDefaultCoversModelsTheTableDoesNotName() {
		assertThat(cost(job("acme/pinned:v2", null, JobStatus.SUCCEEDED, 1, null, DECEMBER, "default")))
			.isEqualTo("0.010000");
		// the version that ran, when the caller named none
		assertThat(cost(job("acme/pinned", "v2", JobStatus.SUCCEEDED, 1, null, DECEMBER, "default")))
			.isEqualTo("0.010000");
		Spending withDefault = spending(
				new PricingProperties("USD", false, List.of(), rates(null, "0.0014", "30"), Duration.ofDays(400)));
		assertThat(withDefault.finalCharge(succeeded("acme/pinned", 1, 10.0)).amount()).isEqualByComparingTo("0.014");
	}

	@Test
	void aCreateReservesPerImageTimesImagesAskedOrPerSecondTimesTheEstimate() {
		assertThat(reserved(SCHNELL, 4).amount()).isEqualByComparingTo("0.012");
		assertThat(reserved(LORA, 1).amount()).isEqualByComparingTo("0.01525");
		assertThat(reserved(SCHNELL, 1).priced()).isEqualTo(JobCharge.Priced.ESTIMATED);
		assertThat(reserved("someone/unpriced", 1).priced()).isEqualTo(JobCharge.Priced.UNKNOWN);
	}

	@Test
	void aModelWithoutAPriceIsRefusedWhenPricesAreRequired() {
		Spending required = spending(
				new PricingProperties("USD", true, this.pricing.models(), null, Duration.ofDays(400)));

		assertThatExceptionOfType(GatewayException.class)
			.isThrownBy(() -> required.reserve(client(), ModelRef.parse("someone/unpriced"), 1, DECEMBER).block())
			.satisfies((refused) -> {
				assertThat(refused.status().value()).isEqualTo(403);
				assertThat(refused.code()).isEqualTo("model_not_priced");
			});
		assertThat(required.reserve(client(), ModelRef.parse(SCHNELL), 1, DECEMBER).block()).isNotNull();
	}

	@Test
	void aFinishedChargeNeverChangesAgain() {
		Job succeeded = succeeded(SCHNELL, 2, null);
		JobCharge first = charge(succeeded);
		Job dataRemoved = new Job(succeeded.id(), succeeded.client(), succeeded.upstream(), succeeded.model(), null,
				succeeded.status(), "", List.of(), null, null, null, succeeded.createdAt(), null, null, null, null,
				List.of(), true, null, first, null);

		assertThat(this.spending.finalCharge(dataRemoved)).isEqualTo(first);
	}

	private JobCharge reserved(String model, int images) {
		return this.spending.reserve(client(), ModelRef.parse(model), images, DECEMBER).block();
	}

	private String cost(Job job) {
		return charge(job).amount().toPlainString();
	}

	private JobCharge charge(Job job) {
		return this.spending.finalCharge(job);
	}

	private static Job succeeded(String model, int images, @Nullable Double predictSeconds) {
		return finished(model, JobStatus.SUCCEEDED, images, predictSeconds);
	}

	private static Job finished(String model, JobStatus status, int images, @Nullable Double predictSeconds) {
		return job(model, null, status, images, predictSeconds, DECEMBER, "default");
	}

	private static Job job(String model, @Nullable String versionRun, JobStatus status, int images,
			@Nullable Double predictSeconds, Instant createdAt, String upstream) {
		List<String> outputs = Collections.nCopies(images, "https://files.example/out.webp");
		JobCharge reserved = new JobCharge("USD", createdAt, JobCharge.Priced.ESTIMATED, 0, 0, null, 0, 0, false);
		return new Job("p1", "team-a", upstream, model, versionRun, status, "a lighthouse", outputs, null, null, null,
				createdAt, createdAt, createdAt, predictSeconds, null, null, false, null, reserved, null);
	}

	private static GatewayClient client() {
		return new GatewayClient("team-a", "default", Set.of(), ClientLimits.NONE, null);
	}

	private static PricingProperties.ModelPrice price(String model, @Nullable String perImage,
			@Nullable String perSecond, @Nullable String estimateSeconds, @Nullable Instant from) {
		return new PricingProperties.ModelPrice(model, decimal(perImage), decimal(perSecond), decimal(estimateSeconds),
				from);
	}

	private static PricingProperties.Rates rates(@Nullable String perImage, @Nullable String perSecond,
			@Nullable String estimateSeconds) {
		return new PricingProperties.Rates(decimal(perImage), decimal(perSecond), decimal(estimateSeconds));
	}

	private static @Nullable BigDecimal decimal(@Nullable String value) {
		return (value != null) ? new BigDecimal(value) : null;
	}

	private static Spending spending(PricingProperties pricing) {
		return new Spending(new PriceTable(pricing), pricing, new NoLedger(),
				new SpendMetrics(new SimpleMeterRegistry(), Set.of()));
	}

	/** Clients without budgets never reach the ledger. */
	private static final class NoLedger implements UsageLedger {

		@Override
		public Mono<Reservation> reserve(String client, BudgetWindow window, long limitMicros, long estimateMicros,
				long alertMicros) {
			return Mono.error(new AssertionError("no budget, no reservation"));
		}

		@Override
		public Mono<Void> release(String client, String period, long micros) {
			return Mono.empty();
		}

		@Override
		public Mono<Long> reserved(String client, String period) {
			return Mono.just(0L);
		}

		@Override
		public Flux<UsageCount> usage(java.time.LocalDate from, java.time.LocalDate until, @Nullable String client) {
			return Flux.empty();
		}

	}

}
