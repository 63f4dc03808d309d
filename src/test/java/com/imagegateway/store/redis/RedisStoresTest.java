package com.imagegateway.store.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import com.imagegateway.clients.ClientLimits;
import com.imagegateway.images.IdempotencyStore;
import com.imagegateway.images.Job;
import com.imagegateway.images.JobStatus;
import com.imagegateway.images.JobStore;
import com.imagegateway.images.JobWebhook;
import com.imagegateway.images.OutputCopy;
import com.imagegateway.images.WebhookEvent;
import com.imagegateway.ratelimit.RateWindows;
import com.imagegateway.store.StoreProperties;
import com.imagegateway.store.StorePropertiesFixture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each Redis store on its own against a real Redis: the atomic rules hold under
 * concurrent callers (as from several replicas), listings page correctly over many jobs,
 * and what a job costs in Redis memory is measured and printed.
 */
@Testcontainers(disabledWithoutDocker = true)
class RedisStoresTest {

	private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	private static RedisContainer redis;

	private static RedisConnection connection;

	private static RedisCalls calls;

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
	void aFinishedJobIsNeverReplacedAndItsFinishIsCountedOnceAmongConcurrentWriters() {
		JobStore store = jobStore();
		store.add(job("j", "team", JobStatus.PROCESSING, START)).block();

		List<JobStore.Saved> saved = Flux.range(0, 40)
			.flatMap((i) -> store
				.save(job("j", "team", (i % 2 == 0) ? JobStatus.SUCCEEDED : JobStatus.PROCESSING, START)))
			.collectList()
			.block();

		assertThat(saved).filteredOn(JobStore.Saved::finishedNow).hasSize(1);
		assertThat(jobStore().find("j").block().status()).isEqualTo(JobStatus.SUCCEEDED);
		JobStore.Saved late = store.save(job("j", "team", JobStatus.PROCESSING, START)).block();
		assertThat(late.job().status()).isEqualTo(JobStatus.SUCCEEDED);
		assertThat(late.finishedNow()).isFalse();
	}

	@Test
	void aJobOnlyMovesForwardFinishedSettledDataRemovedAndTheKeptIndexFeedsTheSweep() {
		JobStore store = jobStore();
		List<String> outputs = List.of("https://files.example/0.png");
		Job finished = new Job("s", "team", "default", "a/b", null, JobStatus.SUCCEEDED, "prompt", outputs, START, null,
				null, START, null, START, null, null, null, false, null, null, null);
		Job settled = new Job("s", "team", "default", "a/b", null, JobStatus.SUCCEEDED, "prompt", outputs, START, null,
				null, START, null, START, null, null, List.of(new OutputCopy(true, "image/png", 10, "ab", null)), false,
				null, null, null);
		Job removed = new Job("s", "team", "default", "a/b", null, JobStatus.SUCCEEDED, "", List.of(), null, null, null,
				START, null, START, null, null, List.of(), true, null, null, null);

		JobStore.Saved first = store.save(finished).block();
		assertThat(first.finishedNow()).isTrue();
		assertThat(first.settledNow()).isFalse();
		assertThat(store.keptBefore(START.plusSeconds(1), 10).collectList().block()).isEmpty();
		JobStore.Saved second = store.save(settled).block();
		assertThat(second.finishedNow()).isFalse();
		assertThat(second.settledNow()).isTrue();
		assertThat(store.keptBefore(START.plusSeconds(1), 10).map(Job::id).collectList().block()).containsExactly("s");
		assertThat(store.keptBefore(START, 10).collectList().block()).isEmpty();
		// a second copy of the outputs, from a replica that stalled, changes nothing
		assertThat(store.save(finished).block().job().copies()).hasSize(1);

		assertThat(store.save(removed).block().job().dataRemoved()).isTrue();
		assertThat(store.keptBefore(START.plusSeconds(1), 10).collectList().block()).isEmpty();
		assertThat(store.save(settled).block().job().dataRemoved()).isTrue();
		assertThat(jobStore().find("s").block().prompt()).isEmpty();
	}

	@Test
	void recordingAJobStoresListsAndQueuesItInOneStepAndRecordingItAgainChangesNothing() {
		JobStore store = jobStore();

		List<JobStore.Saved> recorded = Flux.range(0, 10)
			.flatMap((i) -> store.add(job("r", "team", JobStatus.STARTING, START)))
			.collectList()
			.block();

		assertThat(recorded).extracting((saved) -> saved.job().id()).containsOnly("r");
		assertThat(queuedForTracking()).containsExactly("r");
		assertThat(members("igw-test:client:team:jobs")).containsExactly("r");
		assertThat(members("igw-test:unsettled")).containsExactly("r");
	}

	@Test
	void aJobSettledAtItsCreationIsQueuedOnlyForItsWebhookAndNeverMarkedUnsettled() {
		JobStore store = jobStore();
		Job failed = job("f", "team", JobStatus.FAILED, START);
		Job failedWithWebhook = new Job("w", "team", "default", "a/b", null, JobStatus.FAILED, "prompt", List.of(),
				null, null, null, START, null, null, null, null, null, false,
				new JobWebhook("https://hooks.example/w", List.of(WebhookEvent.COMPLETED), "http://gateway/"), null,
				null);

		assertThat(store.add(failed).block().settledNow()).isTrue();
		store.add(failedWithWebhook).block();

		assertThat(queuedForTracking()).containsExactly("w");
		assertThat(members("igw-test:unsettled")).isEmpty();
	}

	@Test
	void theSafetyNetQueuesARunningJobNoTrackerFollowsOnceAndForgetsSettledAndExpiredOnes() {
		JobStore store = jobStore();
		store.add(job("followed", "team", JobStatus.PROCESSING, START)).block();
		store.add(job("settles", "team", JobStatus.PROCESSING, START)).block();
		store.add(job("expires", "team", JobStatus.PROCESSING, START)).block();
		// what a replica of the version before left when it died between its two writes:
		// the job,
		// and no entry in the trackers' queue
		redis.command((commands) -> commands.eval("""
				redis.call('SET', KEYS[1], ARGV[1])
				return redis.call('ZADD', KEYS[2], 0, 'orphan')""", io.lettuce.core.ScriptOutputType.INTEGER,
				new String[] { "igw-test:job:orphan", "igw-test:unsettled" },
				redis.command((commands2) -> commands2.get("igw-test:job:followed")).replace("followed", "orphan")));
		store.save(job("settles", "team", JobStatus.FAILED, START)).block();
		redis.command((commands) -> commands.del("igw-test:job:expires"));

		assertThat(store.queueUnfollowed().collectList().block()).containsExactly("orphan");
		assertThat(queuedForTracking()).containsExactly("followed", "settles", "expires", "orphan");
		assertThat(members("igw-test:unsettled")).containsExactlyInAnyOrder("followed", "orphan");
		assertThat(store.queueUnfollowed().collectList().block()).isEmpty();
		assertThat(queuedForTracking()).hasSize(4);
	}

	@Test
	void theRetentionSweepIsClaimedByOneReplicaAtATime() {
		List<Boolean> claims = Flux.range(0, 20)
			.flatMap((i) -> jobStore().claimSweep(java.time.Duration.ofSeconds(30)))
			.collectList()
			.block();

		assertThat(claims).containsOnlyOnce(true).hasSize(20);
	}

	@Test
	void listsAClientsJobsNewestFirstFilteredAndPagedOverMoreThanOneScan() {
		JobStore store = jobStore();
		Flux.range(0, 250)
			.flatMap((i) -> store.add(job("job-" + i, "team", (i % 5 == 0) ? JobStatus.FAILED : JobStatus.SUCCEEDED,
					START.plusSeconds(i))))
			.then(store.add(job("other", "other-team", JobStatus.SUCCEEDED, START.plusSeconds(1000))))
			.block();

		List<String> all = new ArrayList<>();
		JobStore.JobPage page = store.list("team", null, null, 60).block();
		while (true) {
			page.jobs().forEach((job) -> all.add(job.id()));
			if (page.next() == null) {
				break;
			}
			page = store.list("team", null, page.next(), 60).block();
		}
		assertThat(all).hasSize(250).doesNotHaveDuplicates().startsWith("job-249", "job-248").endsWith("job-0");

		List<Job> failed = store.list("team", JobStatus.FAILED, null, 100).block().jobs();
		assertThat(failed).hasSize(50).allSatisfy((job) -> assertThat(job.status()).isEqualTo(JobStatus.FAILED));
		assertThat(failed.getFirst().id()).isEqualTo("job-245");
	}

	@Test
	void jobsOfTheSameMillisecondPageWithoutLossOrRepeat() {
		JobStore store = jobStore();
		Flux.range(0, 30)
			.flatMap((i) -> store.add(job("same-" + (char) ('a' + i), "team", JobStatus.SUCCEEDED, START)))
			.blockLast();

		List<String> seen = new ArrayList<>();
		JobStore.JobPage page = store.list("team", null, null, 7).block();
		seen.addAll(page.jobs().stream().map(Job::id).toList());
		while (page.next() != null) {
			page = store.list("team", null, page.next(), 7).block();
			seen.addAll(page.jobs().stream().map(Job::id).toList());
		}
		assertThat(seen).hasSize(30).doesNotHaveDuplicates();
	}

	@Test
	void aListingSkipsAndForgetsJobsGoneWithTheRetention() {
		JobStore store = jobStore();
		store.add(job("kept", "team", JobStatus.SUCCEEDED, START.plusSeconds(1))).block();
		store.add(job("gone", "team", JobStatus.SUCCEEDED, START)).block();
		redis.command((commands) -> commands.del("igw-test:job:gone"));

		assertThat(store.list("team", null, null, 10).block().jobs()).extracting(Job::id).containsExactly("kept");
		long indexed = redis.command((commands) -> commands.zcard("igw-test:client:team:jobs"));
		assertThat(indexed).isEqualTo(1);
	}

	@Test
	void anIdempotencyKeyIsClaimedByExactlyOneOfManyConcurrentRequests() {
		IdempotencyStore store = new RedisIdempotencyStore(calls, this.properties);

		List<Boolean> claimed = Flux.range(0, 20)
			.flatMap((i) -> store.claim("team", "order-1", "fp").map((existing) -> false).defaultIfEmpty(true))
			.collectList()
			.block();

		assertThat(claimed).filteredOn(Boolean::booleanValue).hasSize(1);
		assertThat(store.find("team", "order-1").block().completed()).isFalse();
		store.complete("team", "order-1", "job-1").block();
		store.release("team", "order-1").block();
		assertThat(store.claim("team", "order-1", "fp").block())
			.isEqualTo(new IdempotencyStore.IdempotencyRecord("fp", "job-1"));
		assertThat(store.claim("other-team", "order-1", "fp").block()).as("keys are per client").isNull();
		store.release("other-team", "order-1").block();
		assertThat(store.find("other-team", "order-1").block()).as("a failed first request frees its key").isNull();
	}

	@Test
	void theRunningJobsCapAdmitsExactlyItsSizeAmongConcurrentCreates() {
		RedisRunningJobs running = new RedisRunningJobs(calls);
		Instant deadline = START.plus(Duration.ofMinutes(30));

		List<Boolean> added = Flux.range(0, 20)
			.flatMap((i) -> running.tryAdd("team", "creating:" + i, 3, START, deadline))
			.collectList()
			.block();
		assertThat(added).filteredOn(Boolean::booleanValue).hasSize(3);

		String admitted = redis.command((commands) -> commands.zrange("igw-test:client:team:running", 0, 0)).getFirst();
		running.rename("team", admitted, "job-1").then(running.remove("team", "job-1")).block();
		assertThat(running.tryAdd("team", "creating:x", 3, START, deadline).block()).isTrue();
		assertThat(running.tryAdd("team", "creating:y", 3, START, deadline).block()).isFalse();
		assertThat(running.tryAdd("team", "creating:z", 3, deadline, deadline.plusSeconds(60)).block())
			.as("entries past their deadline no longer count")
			.isTrue();
	}

	@Test
	void aRateWindowAdmitsExactlyItsPermitsAmongConcurrentCallersAndSaysWhenItRefills() {
		RateWindows windows = new RedisRateWindows(calls);
		ClientLimits.Rate rate = new ClientLimits.Rate(5, Duration.ofMinutes(1));

		List<RateWindows.WindowUse> uses = Flux.range(0, 30)
			.flatMap((i) -> windows.take("team:creates", rate))
			.collectList()
			.block();

		assertThat(uses).filteredOn(RateWindows.WindowUse::permitted).hasSize(5);
		assertThat(uses).filteredOn((use) -> !use.permitted())
			.allSatisfy((use) -> assertThat(use.remaining()).isZero());
		assertThat(uses)
			.allSatisfy((use) -> assertThat(use.resetIn()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1)));
	}

	@Test
	void aBusyWindowIsSpentInLeasesYetReplicasTogetherNeverExceedItsPermits() {
		ClientLimits.Rate rate = new ClientLimits.Rate(1000, Duration.ofMinutes(1)); // leases
																						// of
																						// 20
		RateWindows replicaA = new RedisRateWindows(calls);
		RateWindows replicaB = new RedisRateWindows(calls);

		Flux.range(0, 90).concatMap((i) -> replicaA.take("team:reads", rate)).blockLast();
		// five round trips of 20 permits each, not ninety of one
		assertThat(connection.template().opsForValue().get(calls.key("rate:team:reads", "60000")).block())
			.isEqualTo("100");

		List<RateWindows.WindowUse> uses = Flux.range(0, 2000)
			.flatMap((i) -> ((i % 2 == 0) ? replicaA : replicaB).take("team:reads", rate), 64)
			.collectList()
			.block();
		assertThat(uses).filteredOn(RateWindows.WindowUse::permitted).hasSize(1000 - 90);
		assertThat(uses).filteredOn(RateWindows.WindowUse::permitted)
			.allSatisfy((use) -> assertThat(use.remaining()).isBetween(0, 1000));
	}

	/** Prints what jobs cost in Redis: the figure the README quotes per 100k jobs. */
	@Test
	void measuresTheRedisMemoryOfTenThousandJobs() {
		JobStore store = jobStore();
		IdempotencyStore idempotency = new RedisIdempotencyStore(calls, this.properties);
		long before = usedMemory();
		int jobs = 10_000;
		Flux.range(0, jobs).flatMap((i) -> {
			Job job = new Job("r8f2kq7nsdrm80cm2bm9x1k3h" + i, "team-" + (i % 10), "default",
					"black-forest-labs/flux-schnell", "bf2f2e683d03a9549f484a37a0df1581514b28", JobStatus.SUCCEEDED,
					"a lighthouse at dawn, watercolour, soft morning light over the sea",
					List.of("https://replicate.delivery/xezq/abcdefghijklmnopqrstuvwxyz0123456789/output_0.webp"),
					START.plusSeconds(3600), null, null, START.plusSeconds(i), START.plusSeconds(i + 1),
					START.plusSeconds(i + 3), 1.84, null, null, false, null, null, null);
			Mono<Void> key = (i % 2 == 0) ? idempotency.claim(job.client(), "request-" + i, "f".repeat(64))
				.then(idempotency.complete(job.client(), "request-" + i, job.id())) : Mono.empty();
			return store.add(job).then(key);
		}, 64).blockLast();
		long used = usedMemory() - before;

		long per100k = used * (100_000 / jobs);
		System.out.printf(
				"redis-memory: %d jobs (half with an idempotency key) use %d KiB: %d bytes per job, %.0f MiB per 100k jobs%n",
				jobs, used / 1024, used / jobs, per100k / 1024.0 / 1024.0);
		assertThat(used / jobs).as("bytes per job").isBetween(100L, 2048L);
	}

	private JobStore jobStore() {
		return new RedisJobStore(calls, JsonMapper.builder().build(), this.properties, "tracking",
				Duration.ofDays(400));
	}

	private static List<String> members(String sortedSet) {
		return redis.command((commands) -> commands.zrange(sortedSet, 0, -1));
	}

	/** The job ids in the trackers' queue, oldest entry first. */
	private static List<String> queuedForTracking() {
		return redis.command((commands) -> commands.xrange("igw-test:tracking", io.lettuce.core.Range.create("-", "+")))
			.stream()
			.map((entry) -> entry.getBody().get("job"))
			.toList();
	}

	private static long usedMemory() {
		String info = redis.command((commands) -> commands.info("memory"));
		for (String line : info.split("\r?\n")) {
			if (line.startsWith("used_memory:")) {
				return Long.parseLong(line.substring("used_memory:".length()).trim());
			}
		}
		throw new IllegalStateException("no used_memory in INFO");
	}

	private static Job job(String id, String client, JobStatus status, Instant createdAt) {
		return new Job(id, client, "default", "a/b", null, status, "prompt", List.of(), null, null, null, createdAt,
				null, null, null, null, null, false, null, null, null);
	}

}
