package com.imagegateway.store.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.imagegateway.images.Job;
import com.imagegateway.images.JobCursor;
import com.imagegateway.images.JobStatus;
import com.imagegateway.images.JobStore;
import com.imagegateway.store.StoreProperties;

/**
 * Jobs in this process's memory: at most {@code maxJobs}, each for {@code retention} after
 * it was created. Nothing is indexed: a listing, or the retention sweep's minutely look,
 * goes through all the jobs kept (a few milliseconds for 100,000), whereas a sorted index
 * cost every create an insertion and every eviction a removal (7 % of a create's CPU).
 */
class InMemoryJobStore implements JobStore {

	/** Oldest first: the order in which a bounded selection of the newest drops jobs. */
	private static final Comparator<Job> OLDEST_FIRST = (a, b) -> JobCursor.NEWEST_FIRST.compare(JobCursor.of(b),
			JobCursor.of(a));

	private final Cache<String, Job> jobs;

	InMemoryJobStore(StoreProperties properties, Clock clock) {
		this.jobs = Caffeine.newBuilder()
			.maximumSize(properties.maxJobs())
			.expireAfter(new ExpireAfterCreation(properties.retention()))
			.ticker(new ClockTicker(clock))
			.executor(Runnable::run)
			.build();
	}

	@Override
	public Mono<Saved> save(Job job) {
		return Mono.fromSupplier(() -> {
			boolean[] finishedNow = new boolean[1];
			Job stored = this.jobs.asMap().compute(job.id(), (id, existing) -> {
				if (existing != null && !Saved.advances(existing, job)) {
					return existing;
				}
				finishedNow[0] = job.terminal() && (existing == null || !existing.terminal());
				return job;
			});
			return new Saved(stored, finishedNow[0], stored == job && job.settled());
		});
	}

	@Override
	public Mono<Job> find(String id) {
		return Mono.fromSupplier(() -> this.jobs.getIfPresent(id));
	}

	@Override
	public Mono<JobPage> list(String client, @Nullable JobStatus status, @Nullable JobCursor after, int limit) {
		return Mono.fromSupplier(() -> {
			List<Job> newest = newestFirst(limit + 1, (job) -> job.client().equals(client)
					&& (status == null || job.status() == status)
					&& (after == null || JobCursor.NEWEST_FIRST.compare(JobCursor.of(job), after) > 0));
			if (newest.size() <= limit) {
				return new JobPage(newest, null);
			}
			List<Job> page = List.copyOf(newest.subList(0, limit));
			return new JobPage(page, JobCursor.of(page.getLast()));
		});
	}

	@Override
	public Flux<Job> keptBefore(Instant cutoff, int limit) {
		return Flux.defer(() -> {
			PriorityQueue<Job> oldest = new PriorityQueue<>(limit + 1, OLDEST_FIRST.reversed());
			for (Job job : this.jobs.asMap().values()) {
				if (job.settled() && !job.dataRemoved() && job.createdAt().isBefore(cutoff)) {
					oldest.add(job);
					if (oldest.size() > limit) {
						oldest.poll();
					}
				}
			}
			List<Job> due = new ArrayList<>(oldest);
			due.sort(OLDEST_FIRST);
			return Flux.fromIterable(due);
		});
	}

	@Override
	public Mono<Boolean> claimSweep(Duration hold) {
		return Mono.just(true);
	}

	/** The newest {@code count} jobs that match, newest first. */
	private List<Job> newestFirst(int count, Predicate<Job> matching) {
		PriorityQueue<Job> newest = new PriorityQueue<>(count + 1, OLDEST_FIRST);
		for (Job job : this.jobs.asMap().values()) {
			if (matching.test(job)) {
				newest.add(job);
				if (newest.size() > count) {
					newest.poll();
				}
			}
		}
		List<Job> found = new ArrayList<>(newest);
		found.sort(OLDEST_FIRST.reversed());
		return found;
	}

	/**
	 * A job's age counts from when it was first stored, not from later updates, nor from
	 * the upstream's own clock.
	 */
	private record ExpireAfterCreation(Duration retention) implements Expiry<String, Job> {

		@Override
		public long expireAfterCreate(String id, Job job, long currentTime) {
			return this.retention.toNanos();
		}

		@Override
		public long expireAfterUpdate(String id, Job job, long currentTime, long currentDuration) {
			return currentDuration;
		}

		@Override
		public long expireAfterRead(String id, Job job, long currentTime, long currentDuration) {
			return currentDuration;
		}

	}

}
