package com.imagegateway.store.redis;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import com.imagegateway.MutableClock;
import com.imagegateway.images.Job;
import com.imagegateway.images.JobCharge;
import com.imagegateway.images.JobStatus;
import com.imagegateway.images.JobStore;
import com.imagegateway.spend.UsageLedger;
import com.imagegateway.store.StoreProperties;
import com.imagegateway.store.StorePropertiesFixture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Usage and budget reservations in a real Redis: a finish is counted once whichever
 * replica records it, and its reservation given back in the same script; concurrent
 * reservations never pass the budget; the counts outlive the process that wrote them.
 */
@Testcontainers(disabledWithoutDocker = true)
class RedisUsageLedgerTest {

	private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

	private static final LocalDate TODAY = LocalDate.parse("2026-12-05");

	private static final UsageLedger.BudgetWindow DECEMBER = new UsageLedger.BudgetWindow("month:2026-12-01",
			TODAY.withDayOfMonth(1).datesUntil(LocalDate.parse("2027-01-01")).toList(),
			Instant.parse("2027-01-01T00:00:00Z"));

	private static RedisContainer redis;

	private static RedisConnection connection;

	private static RedisCalls calls;

	private final MutableClock clock = new MutableClock(NOW);

	private final StoreProperties properties = new StoreProperties(StoreProperties.Type.REDIS, Duration.ofDays(7),
			100000, Duration.ofHours(24), 100, Duration.ofSeconds(90), StorePropertiesFixture.redis());

	@BeforeAll
	static void startRedis() {
		redis = new RedisContainer().start();
		connection = RedisConnection.to(redis);
		calls = connection.calls();
	}

	@AfterAll
	static void stopRedis() {
		connection.close();
		redis.close();
	}

	@BeforeEach
	void emptyRedis() {
		redis.flushAll();
	}

	@Test
	void concurrentReservationsNeverPassTheBudget() {
		UsageLedger ledger = ledger();

		List<UsageLedger.Reservation> reservations = Flux.range(0, 50)
			.flatMap((i) -> ledger.reserve("team", DECEMBER, 30_000, 3_000, -1), 50)
			.collectList()
			.block();

		assertThat(reservations).filteredOn(UsageLedger.Reservation::admitted).hasSize(10);
		assertThat(ledger.reserved("team", DECEMBER.period()).block()).isEqualTo(30_000);
	}

	@Test
	void aFinishIsCountedOnceWhicheverReplicaRecordsItAndItsReservationIsGivenBackWithIt() {
		UsageLedger ledger = ledger();
		assertThat(ledger.reserve("team", DECEMBER, 30_000, 6_000, -1).block().admitted()).isTrue();
		Job running = job(JobStatus.PROCESSING, charge(JobCharge.Priced.ESTIMATED, 6_000, 0, false));
		jobStore().add(running).block();
		Job succeeded = job(JobStatus.SUCCEEDED, charge(JobCharge.Priced.FINAL, 3_000, 1, true));

		// two replicas record the same finish
		Flux.merge(jobStore().save(succeeded), jobStore().save(succeeded)).blockLast();

		List<UsageLedger.UsageCount> usage = ledger.usage(TODAY, TODAY.plusDays(1), "team").collectList().block();
		assertThat(usage).containsExactly(
				new UsageLedger.UsageCount(TODAY, "team", "black-forest-labs/flux-schnell", 1, 1, 1_250_000, 3_000, 0));
		assertThat(ledger.reserved("team", DECEMBER.period()).block()).isZero();
		// what it spent counts against the budget: 27,000 of 30,000 left
		assertThat(ledger.reserve("team", DECEMBER, 30_000, 27_000, -1).block().admitted()).isTrue();
		assertThat(ledger.reserve("team", DECEMBER, 30_000, 1, -1).block().admitted()).isFalse();
	}

	@Test
	void usageOutlivesTheProcessThatCountedIt() {
		jobStore().add(job(JobStatus.SUCCEEDED, charge(JobCharge.Priced.FINAL, 3_000, 1, true))).block();

		// a new process: new connections, new stores
		try (RedisConnection restarted = RedisConnection.to(redis)) {
			assertThat(new RedisUsageLedger(restarted.calls(), this.clock).usage(TODAY, TODAY.plusDays(1), null)
				.collectList()
				.block()).extracting(UsageLedger.UsageCount::costMicros).containsExactly(3_000L);
		}
	}

	@Test
	void aBudgetRenewsWithItsPeriodAndItsAlertFiresOncePerPeriod() {
		UsageLedger ledger = ledger();
		UsageLedger.BudgetWindow january = new UsageLedger.BudgetWindow("month:2027-01-01",
				LocalDate.parse("2027-01-01").datesUntil(LocalDate.parse("2027-02-01")).toList(),
				Instant.parse("2027-02-01T00:00:00Z"));

		assertThat(ledger.reserve("team", DECEMBER, 10_000, 6_000, 5_000).block().alertNow()).isTrue();
		assertThat(ledger.reserve("team", DECEMBER, 10_000, 4_000, 5_000).block().alertNow()).isFalse();
		assertThat(ledger.reserve("team", DECEMBER, 10_000, 1, 5_000).block().admitted()).isFalse();

		UsageLedger.Reservation renewed = ledger.reserve("team", january, 10_000, 6_000, 5_000).block();
		assertThat(renewed.admitted()).isTrue();
		assertThat(renewed.alertNow()).isTrue();
		// another client's budget is its own
		assertThat(ledger.reserve("other", DECEMBER, 10_000, 10_000, -1).block().admitted()).isTrue();
	}

	@Test
	void aReservationGivenBackAfterItsPeriodsRecordsAreGoneLeavesNothingBehind() {
		ledger().release("team", "month:2026-11-01", 6_000).block();
		jobStore()
			.add(job(JobStatus.SUCCEEDED,
					new JobCharge("USD", NOW, JobCharge.Priced.FINAL, 3_000, 6_000, "month:2026-11-01", 1, 0, true)))
			.block();

		List<String> budgets = redis.command((commands) -> commands.keys("igw-test:budget:*"));
		assertThat(budgets).isEmpty();
	}

	private UsageLedger ledger() {
		return new RedisUsageLedger(calls, this.clock);
	}

	private JobStore jobStore() {
		return new RedisJobStore(calls, JsonMapper.builder().build(), this.properties, "tracking",
				Duration.ofDays(400));
	}

	private static JobCharge charge(JobCharge.Priced priced, long amount, int images, boolean finished) {
		return new JobCharge("USD", NOW, priced, amount, 6_000, DECEMBER.period(), images, finished ? 1_250_000 : 0,
				finished);
	}

	private static Job job(JobStatus status, JobCharge charge) {
		return new Job("p1", "team", "default", "black-forest-labs/flux-schnell", null, status, "prompt", List.of(),
				null, null, null, NOW, null, null, null, null, null, false, null, charge, null);
	}

}
