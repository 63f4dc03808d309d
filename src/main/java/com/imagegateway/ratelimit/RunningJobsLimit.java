package com.imagegateway.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

import com.imagegateway.clients.GatewayClient;
import com.imagegateway.store.JobStore;
import com.imagegateway.system.GatewayException;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Caps how many of a client's jobs run at once. A job counts from the moment its create
 * starts until the gateway sees it finish, or for {@link #RUNNING_AT_MOST} at the longest,
 * so a job nobody polls cannot block its client for ever.
 */
@Component
public class RunningJobsLimit {

	static final Duration RUNNING_AT_MOST = Duration.ofMinutes(30);

	private final JobStore store;

	private final Clock clock;

	private final Map<String, AtomicInteger> creating = new ConcurrentHashMap<>();

	public RunningJobsLimit(JobStore store, Clock clock) {
		this.store = store;
		this.clock = clock;
	}

	public <T> Mono<T> admit(GatewayClient client, Supplier<Mono<T>> create) {
		Integer cap = client.limits().concurrentJobs();
		if (cap == null) {
			return Mono.defer(create);
		}
		return Mono.defer(() -> {
			AtomicInteger inFlight = this.creating.computeIfAbsent(client.name(), (name) -> new AtomicInteger());
			int creatingNow = inFlight.incrementAndGet();
			return this.store.countRunning(client.name(), this.clock.instant().minus(RUNNING_AT_MOST))
				.flatMap((running) -> (running + creatingNow > cap) ? Mono.error(tooMany(cap)) : Mono.defer(create))
				.doFinally((signal) -> inFlight.decrementAndGet());
		});
	}

	private static GatewayException tooMany(int cap) {
		return new GatewayException(HttpStatus.TOO_MANY_REQUESTS, "too_many_running_jobs", "Too many running jobs",
				"Your client may run at most " + cap + " jobs at once; wait for one to finish.");
	}

}
