package com.imagegateway.images;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import com.imagegateway.clients.GatewayClient;
import com.imagegateway.system.GatewayException;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Caps how many of a client's jobs run at once, across replicas. A create reserves a
 * place before anything is sent upstream; the place becomes the job's once created and is
 * given back when the gateway sees the job finish, or after {@link #RUNNING_AT_MOST} at
 * the longest, so a job nobody polls cannot block its client for ever.
 */
@Component
class RunningJobsLimit {

	private static final Log logger = LogFactory.getLog(RunningJobsLimit.class);

	static final Duration RUNNING_AT_MOST = Duration.ofMinutes(30);

	private final RunningJobs running;

	private final Clock clock;

	RunningJobsLimit(RunningJobs running, Clock clock) {
		this.running = running;
		this.clock = clock;
	}

	Mono<Job> admit(GatewayClient client, Supplier<Mono<Job>> create) {
		Integer cap = client.limits().concurrentJobs();
		if (cap == null) {
			return Mono.defer(create);
		}
		return Mono.defer(() -> {
			String reservation = "creating:" + UUID.randomUUID();
			Instant now = this.clock.instant();
			return this.running.tryAdd(client.name(), reservation, cap, now, now.plus(RUNNING_AT_MOST))
				.flatMap((admitted) -> admitted ? createHolding(client.name(), reservation, create)
						: Mono.error(tooMany(cap)));
		});
	}

	private Mono<Job> createHolding(String client, String reservation, Supplier<Mono<Job>> create) {
		return Mono.defer(create)
			.flatMap((job) -> (job.terminal() ? this.running.remove(client, reservation)
					: this.running.rename(client, reservation, job.id()))
				.onErrorResume((failure) -> keptUntilDeadline(reservation, failure))
				.thenReturn(job))
			.onErrorResume((failure) -> this.running.remove(client, reservation)
				.onErrorResume((ignored) -> keptUntilDeadline(reservation, ignored))
				.then(Mono.error(failure)))
			.doOnCancel(() -> this.running.remove(client, reservation).onErrorComplete().subscribe());
	}

	/** Gives the job's place back; called once the gateway sees the job finished. */
	Mono<Void> finished(Job job) {
		return this.running.remove(job.client(), job.id())
			.onErrorResume((failure) -> keptUntilDeadline(job.id(), failure));
	}

	/**
	 * A place that cannot be given back now still frees itself at its deadline: never
	 * fail a caller for it.
	 */
	private static Mono<Void> keptUntilDeadline(String entry, Throwable failure) {
		logger.warn("Running-jobs entry " + entry + " not updated (" + failure.getMessage()
				+ "); it counts until its deadline");
		return Mono.empty();
	}

	private static GatewayException tooMany(int cap) {
		return new GatewayException(HttpStatus.TOO_MANY_REQUESTS, "too_many_running_jobs", "Too many running jobs",
				"Your client may run at most " + cap + " jobs at once; wait for one to finish.");
	}

}
