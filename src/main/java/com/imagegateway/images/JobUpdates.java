package com.imagegateway.images;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * The one way a job's new state is stored: when a write makes a job final (once per job,
 * across replicas), it is counted, its place among the client's running jobs is given back,
 * and every replica hears of it.
 */
@Component
class JobUpdates {

	private final JobStore store;

	private final JobMetrics metrics;

	private final RunningJobsLimit runningJobs;

	private final JobNotices notices;

	JobUpdates(JobStore store, JobMetrics metrics, RunningJobsLimit runningJobs, JobNotices notices) {
		this.store = store;
		this.metrics = metrics;
		this.runningJobs = runningJobs;
		this.notices = notices;
	}

	Mono<Job> save(Job updated) {
		return this.store.save(updated).flatMap((saved) -> {
			if (!saved.finishedNow()) {
				return Mono.just(saved.job());
			}
			this.metrics.finished(saved.job());
			// a lost notice only delays held requests until they read the store again
			return this.runningJobs.finished(saved.job())
				.then(this.notices.announce(saved.job().id()).onErrorComplete())
				.thenReturn(saved.job());
		});
	}

}
