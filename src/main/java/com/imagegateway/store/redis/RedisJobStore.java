package com.imagegateway.store.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import com.imagegateway.images.Job;
import com.imagegateway.images.JobCursor;
import com.imagegateway.images.JobStatus;
import com.imagegateway.images.JobStore;
import com.imagegateway.store.StoreProperties;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;

/**
 * Jobs in Redis, shared by every replica: each job under its own key for the retention
 * (counted from its first write), and each client's jobs in a sorted set by creation time
 * for listing, entered when the job is added, in the same script that queues it for the
 * trackers and marks it unsettled until it settles. Settled jobs never change, so each
 * replica keeps the ones it has seen in a small local cache: reading them again needs no
 * round trip, and keeps working while Redis does not.
 */
class RedisJobStore implements JobStore {

	private static final char DATA_REMOVED = 'D';

	private static final char SETTLED = 'T';

	private static final char FINISHED = 'M';

	private static final char RUNNING = 'R';

	/** Index entries read per round trip while filling a page. */
	private static final int SCAN_BATCH = 100;

	private final RedisCalls redis;

	private final JsonMapper json;

	private final int maxJobsPerClient;

	private final Duration retention;

	/** How long the usage counters that {@link #save} feeds are kept. */
	private final Duration usageRetention;

	/** Running jobs looked at by one pass of {@link #queueUnfollowed()}, oldest first. */
	private static final int UNFOLLOWED_LOOKED_AT = 10_000;

	private final Cache<String, Job> finished;

	private final String trackingKey;

	private final String unsettledKey;

	/**
	 * @param tracking the trackers' queue ({@link RedisWorkQueue}), which {@link #add}
	 * feeds
	 */
	RedisJobStore(RedisCalls redis, JsonMapper jsonMapper, StoreProperties properties, String tracking,
			Duration usageRetention) {
		this.usageRetention = usageRetention;
		this.redis = redis;
		this.trackingKey = redis.key(tracking);
		this.unsettledKey = redis.key("unsettled");
		// jobs written by a newer version may carry fields this one does not know
		this.json = jsonMapper.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
		this.maxJobsPerClient = properties.maxJobs();
		this.retention = properties.retention();
		this.finished = Caffeine.newBuilder()
			.maximumSize(properties.redis().finishedJobsCached())
			.expireAfterWrite(properties.redis().finishedJobsCachedFor())
			.build();
	}

	@Override
	public Mono<Saved> add(Job created) {
		RedisUsageLedger.ChargeArguments charge = RedisUsageLedger.chargeOf(this.redis, created, this.usageRetention);
		List<String> keys = new ArrayList<>(
				List.of(jobKey(created.id()), indexKey(created.client()), this.trackingKey, this.unsettledKey));
		keys.addAll(charge.keys());
		List<Object> arguments = new ArrayList<>(List.of(encode(created), this.retention.toMillis(), created.id(),
				created.createdAt().toEpochMilli(), this.maxJobsPerClient, created.needsTracker() ? 1 : 0));
		arguments.addAll(charge.arguments());
		return this.redis.script(RedisScripts.RECORD_JOB, keys, arguments.toArray())
			.map((result) -> saved(created, result))
			.flatMap((saved) -> keep(saved).thenReturn(saved));
	}

	@Override
	public Mono<Saved> save(Job job) {
		RedisUsageLedger.ChargeArguments charge = RedisUsageLedger.chargeOf(this.redis, job, this.usageRetention);
		List<String> keys = new ArrayList<>(List.of(jobKey(job.id()), this.unsettledKey));
		keys.addAll(charge.keys());
		List<Object> arguments = new ArrayList<>(List.of(encode(job), this.retention.toMillis(), job.id()));
		arguments.addAll(charge.arguments());
		return this.redis.script(RedisScripts.SAVE_JOB, keys, arguments.toArray())
			.map((result) -> saved(job, result))
			.flatMap((saved) -> keep(saved).thenReturn(saved));
	}

	/**
	 * What a write script answered: empty when {@code job} was written, else the
	 * further-along job kept instead.
	 */
	private Saved saved(Job job, List<?> result) {
		String kept = (String) result.get(0);
		Job stored = kept.isEmpty() ? job : decode(kept);
		if (stored.settled()) {
			this.finished.put(stored.id(), stored);
		}
		return new Saved(stored, ((Long) result.get(1)) == 1L, ((Long) result.get(2)) == 1L);
	}

	@Override
	public Flux<String> queueUnfollowed() {
		return this.redis
			.script(RedisScripts.QUEUE_UNFOLLOWED, List.of(this.unsettledKey, this.trackingKey),
					this.redis.key("job", ""), UNFOLLOWED_LOOKED_AT)
			.flatMapIterable((ids) -> ids.stream().map(String.class::cast).toList());
	}

	/**
	 * Settled jobs with images or a prompt wait in the kept index for the retention
	 * sweep.
	 */
	private Mono<Void> keep(Saved saved) {
		Job job = saved.job();
		if (saved.settledNow() && !job.dataRemoved()) {
			return this.redis
				.guard(this.redis.template().opsForZSet().add(keptKey(), job.id(), job.createdAt().toEpochMilli()))
				.then();
		}
		if (job.dataRemoved()) {
			return this.redis.guard(this.redis.template().opsForZSet().remove(keptKey(), job.id())).then();
		}
		return Mono.empty();
	}

	@Override
	public Flux<Job> keptBefore(Instant cutoff, int limit) {
		return this.redis
			.guard(this.redis.template()
				.opsForZSet()
				.rangeByScore(keptKey(),
						Range.of(Range.Bound.unbounded(), Range.Bound.exclusive((double) cutoff.toEpochMilli())),
						Limit.limit().count(limit))
				.collectList())
			.flatMapMany((ids) -> ids.isEmpty() ? Flux.empty()
					: this.redis
						.guard(this.redis.template().opsForValue().multiGet(ids.stream().map(this::jobKey).toList()))
						.flatMapMany((values) -> {
							List<String> gone = new ArrayList<>();
							List<Job> jobs = new ArrayList<>();
							for (int i = 0; i < values.size(); i++) {
								if (values.get(i) == null) {
									gone.add(ids.get(i));
								}
								else {
									jobs.add(decode(values.get(i)));
								}
							}
							Mono<Long> forget = gone.isEmpty() ? Mono.just(0L) : this.redis
								.guard(this.redis.template().opsForZSet().remove(keptKey(), gone.toArray()));
							return forget.thenMany(Flux.fromIterable(jobs));
						}));
	}

	@Override
	public Mono<Boolean> claimSweep(Duration hold) {
		return this.redis
			.guard(this.redis.template().opsForValue().setIfAbsent(this.redis.key("sweep"), "claimed", hold));
	}

	@Override
	public Mono<Job> find(String id) {
		Job cached = this.finished.getIfPresent(id);
		if (cached != null) {
			return Mono.just(cached);
		}
		return this.redis.guard(this.redis.template().opsForValue().get(jobKey(id)))
			.map(this::decode)
			.doOnNext((job) -> {
				if (job.settled()) {
					this.finished.put(id, job);
				}
			});
	}

	@Override
	public Mono<JobPage> list(String client, @Nullable JobStatus status, @Nullable JobCursor after, int limit) {
		return collect(client, status, after, limit, 0, new ArrayList<>(limit + 1));
	}

	/**
	 * Reads the index newest first from {@code offset}, skipping what the cursor has
	 * passed, jobs gone with the retention and jobs of another status, until the page and
	 * one more job are found or the index ends.
	 */
	private Mono<JobPage> collect(String client, @Nullable JobStatus status, @Nullable JobCursor after, int limit,
			long offset, List<Job> page) {
		Range<Double> scores = (after != null)
				? Range.closed(Double.NEGATIVE_INFINITY, (double) after.createdAt().toEpochMilli()) : Range.unbounded();
		return this.redis
			.guard(this.redis.template()
				.opsForZSet()
				.reverseRangeByScoreWithScores(indexKey(client), scores,
						Limit.limit().offset((int) offset).count(SCAN_BATCH))
				.collectList())
			.flatMap((entries) -> {
				List<String> ids = entries.stream()
					.filter((entry) -> after == null || !passed(entry, after))
					.map(TypedTuple::getValue)
					.toList();
				Mono<List<String>> values = ids.isEmpty() ? Mono.just(List.of()) : this.redis
					.guard(this.redis.template().opsForValue().multiGet(ids.stream().map(this::jobKey).toList()));
				return values.flatMap((found) -> {
					List<String> expired = new ArrayList<>();
					for (int i = 0; i < found.size(); i++) {
						String value = found.get(i);
						if (value == null) {
							expired.add(ids.get(i));
							continue;
						}
						Job job = decode(value);
						if (job.client().equals(client) && (status == null || job.status() == status)) {
							page.add(job);
						}
						if (page.size() > limit) {
							List<Job> jobs = List.copyOf(page.subList(0, limit));
							return forget(client, expired).thenReturn(new JobPage(jobs, JobCursor.of(jobs.getLast())));
						}
					}
					if (entries.size() < SCAN_BATCH) {
						return forget(client, expired).thenReturn(new JobPage(List.copyOf(page), null));
					}
					return forget(client, expired)
						.then(collect(client, status, after, limit, offset + entries.size() - expired.size(), page));
				});
			});
	}

	/** Drops index entries whose job is gone with the retention. */
	private Mono<Void> forget(String client, List<String> expired) {
		if (expired.isEmpty()) {
			return Mono.empty();
		}
		return this.redis.guard(this.redis.template().opsForZSet().remove(indexKey(client), expired.toArray())).then();
	}

	/**
	 * In the index, jobs of the same millisecond are ordered by id, descending, as the
	 * cursor's are.
	 */
	private static boolean passed(TypedTuple<String> entry, JobCursor after) {
		return entry.getScore() != null && entry.getScore() >= after.createdAt().toEpochMilli()
				&& entry.getValue() != null && entry.getValue().compareTo(after.id()) >= 0;
	}

	private String encode(Job job) {
		char stage = job.dataRemoved() ? DATA_REMOVED
				: (job.settled() ? SETTLED : (job.terminal() ? FINISHED : RUNNING));
		return stage + this.json.writeValueAsString(job);
	}

	private Job decode(String value) {
		return this.json.readValue(value.substring(1), Job.class);
	}

	private String jobKey(String id) {
		return this.redis.key("job", id);
	}

	private String keptKey() {
		return this.redis.key("kept");
	}

	private String indexKey(String client) {
		return this.redis.key("client", client, "jobs");
	}

}
