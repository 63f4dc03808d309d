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
import reactor.core.scheduler.Schedulers;

import com.imagegateway.images.Job;
import com.imagegateway.images.JobCursor;
import com.imagegateway.images.JobStatus;
import com.imagegateway.images.JobStore;
import com.imagegateway.store.StoreProperties;

/**
 * Jobs in this process's memory: at most {@code maxJobs}, each for {@code retention}
 * after it was created. Nothing is indexed: a listing page, or the retention sweep's
 * minutely look, goes through all the jobs kept (about 10 ms for 100,000, on a worker
 * thread, not an event loop), whereas a sorted index cost every create an insertion and
 * every eviction a removal (7 % of a create's CPU); creates are many, listings few.
 */
class InMemoryJobStore implements JobStore {

	/**
	 * The listing's order, {@link JobCursor#NEWEST_FIRST}, read from the jobs themselves.
	 */
	private static final Comparator<Job> NEWEST_FIRST = Comparator.comparing(Job::createdAt)
		.thenComparing(Job::id)
		.reversed();

	private final Cache<String, Job> jobs;

	private final InMemoryWorkQueue tracking;

	private final InMemoryUsageLedger usage;

	InMemoryJobStore(StoreProperties properties, Clock clock, InMemoryWorkQueue tracking, InMemoryUsageLedger usage) {
		this.tracking = tracking;
		this.usage = usage;
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
			if (finishedNow[0]) {
				this.usage.charge(job);
			}
			return new Saved(stored, finishedNow[0], stored == job && job.settled());
		});
	}

	@Override
	public Mono<Saved> add(Job created) {
		return Mono.fromSupplier(() -> {
			Job existing = this.jobs.asMap().putIfAbsent(created.id(), created);
			if (existing != null) {
				return new Saved(existing, false, false);
			}
			if (created.needsTracker()) {
				this.tracking.queue(created.id());
			}
			if (created.terminal()) {
				this.usage.charge(created);
			}
			return new Saved(created, created.terminal(), created.settled());
		});
	}

	/**
	 * Nothing to find: {@link #add} stores and queues in one call, and both die with the
	 * process.
	 */
	@Override
	public Flux<String> queueUnfollowed() {
		return Flux.empty();
	}

	@Override
	public Mono<Job> find(String id) {
		return Mono.fromSupplier(() -> this.jobs.getIfPresent(id));
	}

	@Override
	public Mono<JobPage> list(String client, @Nullable JobStatus status, @Nullable JobCursor after, int limit) {
		return Mono.fromSupplier(() -> {
			List<Job> newest = first(limit + 1, NEWEST_FIRST,
					(job) -> job.client().equals(client) && (status == null || job.status() == status)
							&& (after == null || JobCursor.NEWEST_FIRST.compare(JobCursor.of(job), after) > 0));
			if (newest.size() <= limit) {
				return new JobPage(newest, null);
			}
			List<Job> page = List.copyOf(newest.subList(0, limit));
			return new JobPage(page, JobCursor.of(page.getLast()));
		}).subscribeOn(Schedulers.boundedElastic());
	}

	@Override
	public Flux<Job> keptBefore(Instant cutoff, int limit) {
		return Flux
			.defer(() -> Flux.fromIterable(first(limit, NEWEST_FIRST.reversed(),
					(job) -> job.settled() && !job.dataRemoved() && job.createdAt().isBefore(cutoff))))
			.subscribeOn(Schedulers.boundedElastic());
	}

	@Override
	public Mono<Boolean> claimSweep(Duration hold) {
		return Mono.just(true);
	}

	/**
	 * The first {@code count} jobs that match, in {@code order}: one pass, holding
	 * {@code count}.
	 */
	private List<Job> first(int count, Comparator<Job> order, Predicate<Job> matching) {
		PriorityQueue<Job> first = new PriorityQueue<>(count + 1, order.reversed());
		for (Job job : this.jobs.asMap().values()) {
			if (matching.test(job)) {
				first.add(job);
				if (first.size() > count) {
					first.poll();
				}
			}
		}
		List<Job> found = new ArrayList<>(first);
		found.sort(order);
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
