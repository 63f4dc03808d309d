package com.imagegateway.images;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * The one way a job's new state is stored: when a write makes a job final (once per job,
 * across replicas), it is counted and its place among the client's running jobs is given
 * back; when a write settles it or changes it while it runs, every replica hears of it;
 * when it reaches an event its webhook wants, the delivery is queued. A finished job is
 * saved with its real cost ({@link JobSpending#finalCharge}).
 */
@Component
class JobUpdates {

	private final JobStore store;

	private final JobMetrics metrics;

	private final RunningJobsLimit runningJobs;

	private final JobNotices notices;

	private final JobWebhooks webhooks;

	private final JobSpending spending;

	JobUpdates(JobStore store, JobMetrics metrics, RunningJobsLimit runningJobs, JobNotices notices,
			JobWebhooks webhooks, JobSpending spending) {
		this.spending = spending;
		this.webhooks = webhooks;
		this.store = store;
		this.metrics = metrics;
		this.runningJobs = runningJobs;
		this.notices = notices;
	}

	Mono<Job> save(Job updated) {
		// a finished job is saved with its real cost (once: a finished charge stays),
		// which the store counts in its
		// client's usage in the same step that records the finish
		Job priced = updated.terminal() ? updated.withCharge(this.spending.finalCharge(updated)) : updated;
		return this.store.save(priced).flatMap((saved) -> {
			Mono<Void> finished = Mono.empty();
			if (saved.finishedNow()) {
				this.metrics.finished(saved.job());
				this.spending.finished(saved.job());
				finished = this.runningJobs.finished(saved.job());
			}
			// held requests wait for a settled job, event streams also for a running
			// job's changes (the tracker saves one only when it changed); a lost notice
			// only delays them until they read the store again
			Mono<Void> announced = (saved.settledNow() || !saved.job().terminal())
					? this.notices.announce(saved.job().id()).onErrorComplete() : Mono.empty();
			// a delivery not queued fails the save, which its writer retries: an event is
			// never dropped
			Mono<Void> delivered = (saved.job().webhook() != null) ? this.webhooks.recorded(saved.job()) : Mono.empty();
			return finished.then(delivered).then(announced).thenReturn(saved.job());
		});
	}

	/**
	 * Saves the state the upstream reported of a job that a tracker, maybe on another
	 * replica, follows: when that is the job's end, the tracker is told, so that it
	 * stores the outputs at once rather than at its next check.
	 */
	Mono<Job> saveReported(Job reported) {
		return save(reported).flatMap((saved) -> (saved.terminal() && !saved.settled())
				? this.notices.announce(saved.id()).onErrorComplete().thenReturn(saved) : Mono.just(saved));
	}

	/**
	 * Queues the deliveries the job's webhook is due in its state as stored, each once
	 * however often this is called.
	 */
	Mono<Void> deliveriesDue(Job stored) {
		return (stored.webhook() != null) ? this.webhooks.recorded(stored) : Mono.empty();
	}

}
