package com.imagegateway.store;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import com.imagegateway.images.Job;
import com.imagegateway.images.JobStatus;

/** Where jobs and their owners are kept, bounded in size and age. */
public interface JobStore {

	/**
	 * Stores the job and returns what is stored. A finished job never changes, so a
	 * late update of a running state does not replace a terminal one.
	 */
	Mono<Job> save(Job job);

	Mono<Job> find(String id);

	/** One page of a client's jobs, newest first, after {@code after} when given. */
	Mono<JobPage> list(String client, @Nullable JobStatus status, @Nullable JobCursor after, int limit);

	/** How many of the client's jobs created since {@code since} are still running. */
	Mono<Integer> countRunning(String client, Instant since);

	record JobPage(List<Job> jobs, @Nullable JobCursor next) {
	}

}
