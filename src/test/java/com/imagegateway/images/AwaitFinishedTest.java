package com.imagegateway.images;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import com.imagegateway.MutableClock;
import com.imagegateway.system.ShutdownSignal;
import com.imagegateway.upstream.Prediction;
import com.imagegateway.upstream.PredictionRequest;
import com.imagegateway.upstream.Predictions;
import com.imagegateway.upstream.UpstreamException;
import com.imagegateway.upstream.UpstreamOperation;
import com.imagegateway.upstream.UpstreamProperties;
import com.imagegateway.upstream.Upstreams;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Prefer: wait} polls on a timer, holding no thread, each pause half as long again as the
 * one before (500 ms, 750 ms, 1.125 s, ...) up to 5 s: proven on Reactor's virtual time.
 */
class AwaitFinishedTest {

	private static final Duration POLL = Duration.ofMillis(500);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final AtomicInteger reads = new AtomicInteger();

	private final ShutdownSignal shutdown = new ShutdownSignal();

	@Test
	void pollsUntilTheJobHasFinished() {
		ImageJobs jobs = jobs(status(List.of("processing", "processing", "succeeded")));

		// asks at 0.5 s, 1.25 s and 2.375 s
		StepVerifier.withVirtualTime(() -> jobs.awaitFinished(running(), Duration.ofSeconds(60)))
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(2374))
			.thenAwait(Duration.ofMillis(1))
			.assertNext((job) -> assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED))
			.verifyComplete();
		assertThat(this.reads).hasValue(3);
	}

	@Test
	void asksLessOftenTheLongerTheJobRunsButAtLeastEveryMaxPollInterval() {
		ImageJobs jobs = jobs(status(List.of("processing")));

		StepVerifier.withVirtualTime(() -> jobs.awaitFinished(running(), Duration.ofSeconds(60)))
			.expectSubscription()
			.thenAwait(Duration.ofMillis(10_400))
			.then(() -> assertThat(this.reads).hasValue(6)) // 0.5, 1.25, 2.375, 4.06, 6.59, 10.39 s
			.thenAwait(Duration.ofSeconds(10))
			.then(() -> assertThat(this.reads).hasValue(8)) // every 5 s from then on
			.thenAwait(Duration.ofSeconds(40))
			.assertNext((job) -> assertThat(job.status()).isEqualTo(JobStatus.PROCESSING))
			.verifyComplete();
		assertThat(this.reads).hasValue(15);
	}

	@Test
	void answersWithTheLatestStateWhenPatienceRunsOut() {
		ImageJobs jobs = jobs(status(List.of("processing")));

		StepVerifier.withVirtualTime(() -> jobs.awaitFinished(running(), Duration.ofSeconds(5)))
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(5).minusMillis(1))
			.thenAwait(Duration.ofMillis(1))
			.assertNext((job) -> assertThat(job.status()).isEqualTo(JobStatus.PROCESSING))
			.verifyComplete();
		assertThat(this.reads).hasValue(4); // 0.5, 1.25, 2.375, 4.06 s
	}

	@Test
	void aFailingPollEndsTheWaitWithTheLastKnownState() {
		ImageJobs jobs = jobs(new FakeUpstream((id) -> Mono.error(UpstreamException.notFound(UpstreamOperation.READ))));

		StepVerifier.withVirtualTime(() -> jobs.awaitFinished(running(), Duration.ofSeconds(60)))
			.expectSubscription()
			.thenAwait(POLL)
			.assertNext((job) -> assertThat(job.status()).isEqualTo(JobStatus.STARTING))
			.verifyComplete();
	}

	@Test
	void shutdownEndsTheWaitAtOnceWithTheLatestState() {
		ImageJobs jobs = jobs(status(List.of("processing")));

		StepVerifier.withVirtualTime(() -> jobs.awaitFinished(running(), Duration.ofSeconds(60)))
			.expectSubscription()
			.thenAwait(POLL.multipliedBy(2))
			.then(this.shutdown::stop)
			.assertNext((job) -> assertThat(job.status()).isEqualTo(JobStatus.PROCESSING))
			.verifyComplete();
	}

	@Test
	void doesNotWaitForAJobThatHasAlreadyFinished() {
		ImageJobs jobs = jobs(status(List.of("processing")));
		Job finished = new Job("j", "team", "default", "a/b", null, JobStatus.FAILED, "p", List.of(), null, "boom",
				this.clock.instant(), null, null, null);

		StepVerifier.create(jobs.awaitFinished(finished, Duration.ofSeconds(60))).expectNext(finished).verifyComplete();
		assertThat(this.reads).hasValue(0);
	}

	private FakeUpstream status(List<String> statuses) {
		return new FakeUpstream((id) -> {
			int read = this.reads.getAndIncrement();
			String status = statuses.get(Math.min(read, statuses.size() - 1));
			return Mono.just(new Prediction(id, "a/b", "v", status, null, null, this.clock.instant(), null, null, null));
		});
	}

	private Job running() {
		return new Job("j", "team", "default", "a/b", null, JobStatus.STARTING, "p", List.of(), null, null,
				this.clock.instant(), null, null, null);
	}

	private ImageJobs jobs(Predictions upstream) {
		JobStore store = new PassThroughStore();
		UpstreamProperties properties = new UpstreamProperties(null, Map.of(),
				new UpstreamProperties.Limits(10, Duration.ofSeconds(1), Duration.ZERO), POLL, Duration.ofSeconds(5),
				Duration.ofHours(1));
		return new ImageJobs(new Upstreams(Map.of("default", upstream)), store, this.clock, properties,
				new RunningJobsLimit(new NoRunningJobs(), this.clock), new JobMetrics(new SimpleMeterRegistry(), Set.of()), this.shutdown);
	}

	private record FakeUpstream(java.util.function.Function<String, Mono<Prediction>> reads) implements Predictions {

		@Override
		public Mono<Prediction> create(PredictionRequest request) {
			return Mono.error(new UnsupportedOperationException());
		}

		@Override
		public Mono<Prediction> get(String id) {
			return Mono.defer(() -> this.reads.apply(id));
		}

		@Override
		public Mono<Prediction> cancel(String id) {
			return Mono.error(new UnsupportedOperationException());
		}

	}

	private static final class PassThroughStore implements JobStore {

		@Override
		public Mono<Saved> save(Job job) {
			return Mono.just(new Saved(job, job.terminal()));
		}

		@Override
		public Mono<Job> find(String id) {
			return Mono.empty();
		}

		@Override
		public Mono<JobPage> list(String client, JobStatus status, com.imagegateway.images.JobCursor after, int limit) {
			return Mono.empty();
		}

	}

	private static final class NoRunningJobs implements RunningJobs {

		@Override
		public Mono<Boolean> tryAdd(String client, String entry, int cap, Instant now, Instant countUntil) {
			return Mono.just(true);
		}

		@Override
		public Mono<Void> rename(String client, String entry, String newName) {
			return Mono.empty();
		}

		@Override
		public Mono<Void> remove(String client, String entry) {
			return Mono.empty();
		}

	}

}
