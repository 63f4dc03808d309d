package com.imagegateway.images;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.imagegateway.storage.StorageProperties;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Removes the images and prompts of jobs older than {@code gateway.storage.retention}, on
 * one replica at a time: every {@code sweep-interval} a replica that claims the sweep
 * deletes the stored images first (through the {@link JobOutputs}), then marks the job
 * {@code dataRemoved} (a job only moves forward, so nothing brings its data back). A file
 * whose deletion fails keeps the job in the sweep. The same replica first queues for
 * tracking any running job that no tracker follows.
 */
@Component
class RetentionSweep implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RetentionSweep.class);

	/** Jobs per round of one sweep; a sweep goes on while rounds come back full. */
	private static final int ROUND = 500;

	private final JobStore store;

	private final JobUpdates updates;

	private final JobOutputs outputs;

	private final Clock clock;

	private final Duration retention;

	private final Duration interval;

	private final Counter removed;

	private final Counter unfollowed;

	private volatile Disposable sweeping;

	RetentionSweep(JobStore store, JobUpdates updates, JobOutputs outputs, StorageProperties properties, Clock clock,
			MeterRegistry registry) {
		this.store = store;
		this.updates = updates;
		this.outputs = outputs;
		this.clock = clock;
		this.retention = properties.retention();
		this.interval = properties.sweepInterval();
		this.removed = Counter.builder("gateway.storage.removed")
			.description("Jobs whose images and prompt the retention sweep removed")
			.register(registry);
		this.unfollowed = Counter.builder("gateway.tracking.unfollowed")
			.description("Running jobs found with no tracker following them, and queued for tracking again")
			.register(registry);
	}

	/** One sweep, if this replica gets it: how many jobs it cleared. */
	Mono<Long> sweep() {
		return this.store.claimSweep(this.interval)
			.flatMap((claimed) -> claimed ? queueUnfollowed().then(rounds()) : Mono.just(0L));
	}

	/**
	 * The safety net under job creation: a running job that no tracker follows would stay
	 * running for as long as anyone looks, its images never stored, its webhook never
	 * called.
	 */
	private Mono<Void> queueUnfollowed() {
		return this.store.queueUnfollowed().doOnNext((id) -> {
			this.unfollowed.increment();
			logger.warn("Job " + id + " was running with no tracker following it: queued for tracking again");
		}).then();
	}

	private Mono<Long> rounds() {
		return this.store.keptBefore(this.clock.instant().minus(this.retention), ROUND)
			.concatMap(this::clear)
			.count()
			.expand((cleared) -> (cleared == ROUND)
					? this.store.keptBefore(this.clock.instant().minus(this.retention), ROUND)
						.concatMap(this::clear)
						.count()
					: Mono.empty())
			.reduce(0L, Long::sum);
	}

	private Mono<Job> clear(Job job) {
		return this.outputs.remove(job)
			.then(Mono.defer(() -> this.updates.save(job.withDataRemoved())))
			.doOnNext((cleared) -> this.removed.increment());
	}

	@Override
	public void start() {
		this.sweeping = Flux.interval(this.interval, this.interval)
			.onBackpressureDrop()
			.concatMap((tick) -> sweep().onErrorResume((failure) -> {
				logger.warn("Retention sweep failed; trying again in " + Job.readable(this.interval) + ": " + failure);
				return Mono.empty();
			}), 0)
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable sweeping = this.sweeping;
		this.sweeping = null;
		if (sweeping != null) {
			sweeping.dispose();
		}
	}

	@Override
	public boolean isRunning() {
		return this.sweeping != null;
	}

}
