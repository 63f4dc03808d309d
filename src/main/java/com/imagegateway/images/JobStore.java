package com.imagegateway.images;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where jobs and their owners are kept, bounded in age. Implementations: in this
 * process's memory ({@code gateway.store.type=memory}) or in Redis, shared by every
 * replica. A store that cannot be reached fails with {@code store_unavailable}
 * ({@link com.imagegateway.system.Problems#storeUnavailable}).
 */
public interface JobStore {

	/**
	 * Stores the job and returns what is stored. A job only moves forward: running,
	 * finished (its outputs being stored), settled (never to change again). So a late
	 * running state never replaces a finished one, nor a second copy of the outputs a
	 * first, whichever replica writes it.
	 */
	Mono<Saved> save(Job job);

	/**
	 * Records a job just created upstream, in one atomic step: stores it, indexes it for
	 * its client's listing (its place, by creation time, never changes) and, unless it is
	 * settled with no webhook to deliver, hands it to the {@link TrackingQueue}. So no
	 * replica's death can leave a job stored that no tracker follows. Recording a job
	 * that is already stored changes nothing and answers what is stored. Its later states
	 * need only {@link #save}.
	 */
	Mono<Saved> add(Job created);

	/**
	 * The safety net under {@link #add}: queues for the trackers every job stored as
	 * running that no tracker follows nor is due to follow (recorded by an older version
	 * that wrote the two apart, or left by a bug). The ids queued; none with a store only
	 * this process uses.
	 */
	Flux<String> queueUnfollowed();

	Mono<Job> find(String id);

	/**
	 * Settled jobs created before {@code cutoff} whose prompt and images are still kept,
	 * oldest first, at most {@code limit}: what the retention sweep removes next.
	 */
	Flux<Job> keptBefore(Instant cutoff, int limit);

	/**
	 * Claims the retention sweep for {@code hold}: true on one replica at a time (always
	 * with a store only this process uses).
	 */
	Mono<Boolean> claimSweep(Duration hold);

	/** One page of a client's jobs, newest first, after {@code after} when given. */
	Mono<JobPage> list(String client, @Nullable JobStatus status, @Nullable JobCursor after, int limit);

	/**
	 * @param job the job as stored now
	 * @param finishedNow whether this write is the one that made it final: true once per
	 * job, across all replicas, so each finish is counted once
	 * @param settledNow whether this write settled it (once per job, too)
	 */
	record Saved(Job job, boolean finishedNow, boolean settledNow) {

		/**
		 * Whether the job moves past {@code stored}'s stage if {@code update} is written.
		 */
		public static boolean advances(Job stored, Job update) {
			return stage(update) > stage(stored) || (stage(update) == 0 && stage(stored) == 0);
		}

		/**
		 * 0 running, 1 finished with outputs being stored, 2 settled, 3 its data removed.
		 */
		public static int stage(Job job) {
			if (job.dataRemoved()) {
				return 3;
			}
			return job.settled() ? 2 : (job.terminal() ? 1 : 0);
		}

	}

	record JobPage(List<Job> jobs, @Nullable JobCursor next) {
	}

}
