package com.imagegateway.store.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.imagegateway.images.TrackingProperties;
import com.imagegateway.queue.WorkQueue;

/**
 * Entries (running jobs, webhook deliveries) in one Redis stream, read by the replicas as
 * one consumer group: each entry is delivered to exactly one replica and stays pending
 * there until its job is done. A replica touches its pending entries every third of
 * {@code takeover-after}; entries left untouched for {@code takeover-after} (the replica
 * stopped or died) pass to the next replica that looks ({@code XAUTOCLAIM}, every quarter
 * of it). A replica whose entries were taken over while it stalled learns it at its next
 * touch and stops following them. Worst case: a dead replica's jobs are followed again
 * within {@code takeover-after} × 1.25 (plus one poll interval); a replica that stops
 * cleanly hands them over within a quarter of it.
 */
class RedisWorkQueue implements WorkQueue {

	private static final Log logger = LogFactory.getLog(RedisWorkQueue.class);

	private static final String GROUP = "trackers";

	/**
	 * New entries are looked for this often: the delay before a new job's first check.
	 */
	private static final Duration READ_EVERY = Duration.ofMillis(250);

	private static final int BATCH = 500;

	private final RedisCalls redis;

	private final String stream;

	private final String consumer;

	private final Duration takeoverAfter;

	/** The jobs this replica holds, with their entries and when they were handed over. */
	private final Map<String, Held> held = new ConcurrentHashMap<>();

	/**
	 * @param name the stream's name under the key prefix: one queue per name
	 */
	RedisWorkQueue(RedisCalls redis, TrackingProperties properties, String name) {
		this.redis = redis;
		this.stream = redis.key(name);
		String host = System.getenv().getOrDefault("HOSTNAME", "replica");
		this.consumer = host + "-" + UUID.randomUUID().toString().substring(0, 8);
		this.takeoverAfter = properties.takeoverAfter();
	}

	String consumer() {
		return this.consumer;
	}

	@Override
	public Mono<Void> add(String jobId) {
		// one entry, which the consumer group delivers to exactly one replica; a plain
		// XADD, as
		// a script would cost Redis more than the command itself
		return this.redis.guard(this.redis.template().opsForStream().add(this.stream, Map.of("job", jobId))).then();
	}

	@Override
	public Flux<Assignment> assignments() {
		Flux<Assignment> read = every(READ_EVERY,
				() -> this.redis.script(RedisScripts.TRACK_READ, this.stream, GROUP, this.consumer, BATCH)
					.flatMapIterable(this::hold));
		Flux<Assignment> takeOver = every(this.takeoverAfter.dividedBy(4),
				() -> this.redis
					.script(RedisScripts.TRACK_CLAIM, this.stream, GROUP, this.consumer, this.takeoverAfter.toMillis(),
							BATCH, this.takeoverAfter.multipliedBy(30).toMillis())
					.flatMapIterable(this::hold));
		Flux<Assignment> touch = every(this.takeoverAfter.dividedBy(3), () -> {
			long asked = System.nanoTime();
			return this.redis.script(RedisScripts.TRACK_BEAT, this.stream, GROUP, this.consumer)
				.flatMapIterable((ids) -> lost(asked, ids));
		});
		return Flux.merge(read, takeOver, touch);
	}

	/**
	 * Runs a Redis call on a timer, one at a time; a failed call is logged and tried
	 * again at the next tick.
	 */
	private static Flux<Assignment> every(Duration period, java.util.function.Supplier<Flux<Assignment>> call) {
		return Flux.interval(period, period)
			.onBackpressureDrop()
			.concatMap((tick) -> Flux.defer(call).onErrorResume((failure) -> {
				logger.debug("Job tracking call failed; trying again", failure);
				return Flux.empty();
			}), 0);
	}

	private List<Assignment> hold(List<?> entries) {
		List<Assignment> assigned = new ArrayList<>(entries.size() / 2);
		long now = System.nanoTime();
		for (int i = 0; i + 1 < entries.size(); i += 2) {
			String entry = (String) entries.get(i);
			String jobId = (String) entries.get(i + 1);
			this.held.put(jobId, new Held(entry, now));
			assigned.add(new Assignment(jobId, true));
		}
		return assigned;
	}

	/**
	 * Jobs held before the touch was asked for whose entries are no longer this
	 * replica's.
	 */
	private List<Assignment> lost(long asked, List<?> stillMine) {
		Set<Object> mine = new HashSet<>(stillMine);
		List<Assignment> lost = new ArrayList<>();
		this.held.forEach((jobId, held) -> {
			if (held.since() - asked < 0 && !mine.contains(held.entry()) && this.held.remove(jobId, held)) {
				logger.info("Job " + jobId + " was taken over by another replica");
				lost.add(new Assignment(jobId, false));
			}
		});
		return lost;
	}

	@Override
	public Mono<Void> done(String jobId) {
		return Mono.defer(() -> {
			Held held = this.held.get(jobId);
			if (held == null) {
				return Mono.empty();
			}
			return this.redis.script(RedisScripts.TRACK_DONE, this.stream, GROUP, held.entry())
				.doOnSuccess((deleted) -> this.held.remove(jobId, held))
				.then();
		});
	}

	@Override
	public Mono<Void> release() {
		return Flux.defer(() -> {
			List<String> entries = this.held.values().stream().map(Held::entry).toList();
			this.held.clear();
			List<List<String>> batches = new ArrayList<>();
			for (int i = 0; i < entries.size(); i += 1000) {
				batches.add(entries.subList(i, Math.min(i + 1000, entries.size())));
			}
			return Flux.fromIterable(batches).concatMap((batch) -> {
				List<Object> args = new ArrayList<>(List.of(GROUP, this.consumer, Duration.ofDays(365).toMillis()));
				args.addAll(batch);
				return this.redis.script(RedisScripts.TRACK_RELEASE, this.stream, args.toArray());
			});
		}).then();
	}

	private record Held(String entry, long since) {
	}

}
