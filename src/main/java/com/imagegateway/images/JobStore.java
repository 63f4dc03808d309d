package com.imagegateway.images;

import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Where jobs and their owners are kept, bounded in age. Implementations: in this process's
 * memory ({@code gateway.store.type=memory}) or in Redis, shared by every replica.
 * A store that cannot be reached fails with {@code store_unavailable}
 * ({@link com.imagegateway.system.Problems#storeUnavailable}).
 */
public interface JobStore {

	/**
	 * Stores the job and returns what is stored. A finished job never changes, so a
	 * late update of a running state does not replace a terminal one, whichever replica
	 * writes it.
	 */
	Mono<Saved> save(Job job);

	Mono<Job> find(String id);

	/** One page of a client's jobs, newest first, after {@code after} when given. */
	Mono<JobPage> list(String client, @Nullable JobStatus status, @Nullable JobCursor after, int limit);

	/**
	 * @param job the job as stored now
	 * @param finishedNow whether this write is the one that made it final: true once per
	 * job, across all replicas, so each finish is counted once
	 */
	record Saved(Job job, boolean finishedNow) {
	}

	record JobPage(List<Job> jobs, @Nullable JobCursor next) {
	}

}
