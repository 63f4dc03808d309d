package com.imagegateway.store.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
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
 * it was created. Each client's jobs are also indexed newest first for listing, and the
 * settled jobs whose images are kept oldest first for the retention sweep; a job enters each
 * index once, as its creation time never changes.
 */
class InMemoryJobStore implements JobStore {

	private final Cache<String, Job> jobs;

	private final Map<String, NavigableSet<JobCursor>> byClient = new ConcurrentHashMap<>();

	private final NavigableSet<JobCursor> kept = new ConcurrentSkipListSet<>(JobCursor.NEWEST_FIRST.reversed());

	InMemoryJobStore(StoreProperties properties, Clock clock) {
		this.jobs = Caffeine.newBuilder()
			.maximumSize(properties.maxJobs())
			.expireAfter(new ExpireAfterCreation(properties.retention()))
			.ticker(new ClockTicker(clock))
			.executor(Runnable::run)
			.removalListener((String id, Job job, RemovalCause cause) -> {
				if (job != null && cause != RemovalCause.REPLACED) {
					unindex(job);
				}
			})
			.build();
	}

	@Override
	public Mono<Saved> save(Job job) {
		return Mono.fromSupplier(() -> {
			boolean[] written = new boolean[2];
			Job stored = this.jobs.asMap().compute(job.id(), (id, existing) -> {
				if (existing != null && !Saved.advances(existing, job)) {
					return existing;
				}
				written[0] = existing == null;
				written[1] = job.terminal() && (existing == null || !existing.terminal());
				return job;
			});
			if (written[0]) {
				this.byClient.computeIfAbsent(job.client(), (client) -> new ConcurrentSkipListSet<>(JobCursor.NEWEST_FIRST))
					.add(JobCursor.of(job));
			}
			if (stored == job && job.dataRemoved()) {
				this.kept.remove(JobCursor.of(job));
			}
			else if (stored == job && job.settled()) {
				this.kept.add(JobCursor.of(job));
			}
			return new Saved(stored, written[1], stored == job && job.settled());
		});
	}

	@Override
	public Mono<Job> find(String id) {
		return Mono.fromSupplier(() -> this.jobs.getIfPresent(id));
	}

	@Override
	public Mono<JobPage> list(String client, @Nullable JobStatus status, @Nullable JobCursor after, int limit) {
		return Mono.fromSupplier(() -> {
			NavigableSet<JobCursor> index = this.byClient.get(client);
			List<Job> page = new ArrayList<>(limit);
			if (index == null) {
				return new JobPage(page, null);
			}
			NavigableSet<JobCursor> candidates = (after != null) ? index.tailSet(after, false) : index;
			for (JobCursor cursor : candidates) {
				Job job = this.jobs.getIfPresent(cursor.id());
				if (job == null || !job.client().equals(client) || (status != null && job.status() != status)) {
					continue;
				}
				if (page.size() == limit) {
					return new JobPage(page, JobCursor.of(page.getLast()));
				}
				page.add(job);
			}
			return new JobPage(page, null);
		});
	}

	@Override
	public Flux<Job> keptBefore(Instant cutoff, int limit) {
		return Flux.defer(() -> {
			List<Job> due = new ArrayList<>();
			for (JobCursor cursor : this.kept) {
				if (due.size() == limit || !cursor.createdAt().isBefore(cutoff)) {
					break;
				}
				Job job = this.jobs.getIfPresent(cursor.id());
				if (job != null && job.settled() && !job.dataRemoved()) {
					due.add(job);
				}
			}
			return Flux.fromIterable(due);
		});
	}

	@Override
	public Mono<Boolean> claimSweep(Duration hold) {
		return Mono.just(true);
	}

	private void unindex(Job job) {
		JobCursor cursor = JobCursor.of(job);
		NavigableSet<JobCursor> index = this.byClient.get(job.client());
		if (index != null) {
			index.remove(cursor);
		}
		this.kept.remove(cursor);
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
