package com.imagegateway.images;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import com.imagegateway.queue.WorkQueue;
import com.imagegateway.upstream.Prediction;
import com.imagegateway.upstream.UpstreamException;
import com.imagegateway.upstream.UpstreamOperation;
import com.imagegateway.upstream.UpstreamProperties;
import com.imagegateway.upstream.Upstreams;

import static com.imagegateway.images.JobFakes.job;
import static com.imagegateway.images.JobFakes.seconds;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tracker follows each running job to its end on a timer, asking soon at first and
 * less often the longer the job runs (0.5 s, then half as long again each time, up to 5
 * s), on Reactor's virtual time.
 */
class JobTrackerTest {

	private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	private VirtualTimeScheduler time;

	private final JobFakes.Store store = new JobFakes.Store();

	private final JobFakes.Queue queue = new JobFakes.Queue();

	private final JobFakes.Notices notices = new JobFakes.Notices();

	private final AtomicInteger reads = new AtomicInteger();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private JobTracker tracker;

	private JobWaiters waiters;

	@BeforeEach
	void virtualTime() {
		this.time = VirtualTimeScheduler.getOrSet();
	}

	@AfterEach
	void realTime() {
		if (this.tracker != null) {
			this.tracker.stop();
			this.waiters.stop();
		}
		VirtualTimeScheduler.reset();
	}

	@Test
	void followsAJobNobodyReadsToItsEndAskingLessOftenTheLongerItRuns() {
		JobFakes.Upstream upstream = upstream(statuses("processing", 9, "succeeded"));
		track(upstream, job("j1", JobStatus.STARTING, START));

		advance(seconds(0.499));
		assertThat(this.reads).hasValue(0);
		advance(seconds(0.001));
		assertThat(this.reads).hasValue(1);
		advance(seconds(10.4 - 0.5)); // 0.5, 1.25, 2.375, 4.06, 6.59, 10.39 s
		assertThat(this.reads).hasValue(6);
		advance(seconds(10)); // every 5 s from then on
		assertThat(this.reads).hasValue(8);
		assertThat(this.store.jobs.get("j1").status()).isEqualTo(JobStatus.PROCESSING);
		assertThat(this.queue.done).isEmpty();

		advance(seconds(10));
		assertThat(this.reads).hasValue(10);
		assertThat(this.store.jobs.get("j1").status()).isEqualTo(JobStatus.SUCCEEDED);
		assertThat(this.queue.done).containsExactly("j1");
		advance(Duration.ofMinutes(5));
		assertThat(this.reads).hasValue(10);
		assertThat(this.registry.get("gateway.tracking.jobs").gauge().value()).isZero();
	}

	@Test
	void announcesEachChangeSoThatHeldRequestsAndEventStreamsOnAnyReplicaWake() {
		List<String> announced = new java.util.concurrent.CopyOnWriteArrayList<>();
		this.notices.announced().filter((id) -> !JobNotices.LISTENING.equals(id)).subscribe(announced::add);
		track(upstream(statuses("processing", 1, "failed")), job("j2", JobStatus.STARTING, START));

		advance(seconds(0.4));
		assertThat(announced).isEmpty();
		advance(seconds(0.1));
		assertThat(announced).containsExactly("j2");
		advance(seconds(0.75));
		assertThat(announced).containsExactly("j2", "j2");
		assertThat(this.registry.get("gateway.jobs.finished").tag("status", "failed").counter().count()).isOne();
	}

	@Test
	void keepsFollowingThroughUpstreamFailures() {
		AtomicInteger call = new AtomicInteger();
		track(upstream((id) -> (call.incrementAndGet() <= 3) ? Mono.error(new java.net.ConnectException("refused"))
				: Mono.just(prediction(id, "succeeded"))), job("j3", JobStatus.STARTING, START));

		advance(Duration.ofSeconds(10));

		assertThat(this.store.jobs.get("j3").status()).isEqualTo(JobStatus.SUCCEEDED);
		assertThat(this.queue.done).containsExactly("j3");
	}

	@Test
	void waitsOutTheUpstreamsRetryAfterBeforeCheckingAgain() {
		AtomicInteger call = new AtomicInteger();
		track(upstream((id) -> (call.incrementAndGet() == 1)
				? Mono.error(UpstreamException.fromStatus(UpstreamOperation.READ, 429, null, Duration.ofSeconds(20)))
				: Mono.just(prediction(id, "succeeded"))), job("j9", JobStatus.STARTING, START));

		advance(seconds(0.5));
		assertThat(this.reads).hasValue(1);
		advance(seconds(19.99));
		assertThat(this.reads).as("asked again before the upstream's Retry-After").hasValue(1);
		advance(seconds(0.01));
		assertThat(this.reads).hasValue(2);
		assertThat(this.store.jobs.get("j9").status()).isEqualTo(JobStatus.SUCCEEDED);
	}

	@Test
	void cancelsAndFailsAJobTheUpstreamHasNotFinishedWithinMaxAge() {
		JobFakes.Upstream upstream = upstream(statuses("processing", Integer.MAX_VALUE, "succeeded"));
		track(upstream, job("j4", JobStatus.STARTING, START));

		advance(Duration.ofMinutes(1));
		assertThat(this.store.jobs.get("j4").status()).isEqualTo(JobStatus.PROCESSING);
		assertThat(upstream.canceled()).isEmpty();

		advance(Duration.ofSeconds(5));
		Job failed = this.store.jobs.get("j4");
		assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
		assertThat(failed.errorCode()).isEqualTo("upstream_timeout");
		assertThat(failed.error()).contains("1m");
		assertThat(upstream.canceled()).containsExactly("j4");
		assertThat(this.queue.done).containsExactly("j4");
	}

	@Test
	void failsAJobTheUpstreamNoLongerKnowsAfterThreeReadsInARow() {
		track(upstream((id) -> Mono.error(UpstreamException.notFound(UpstreamOperation.READ))),
				job("j5", JobStatus.STARTING, START));

		advance(seconds(1.25));
		assertThat(this.store.jobs.get("j5").status()).isEqualTo(JobStatus.STARTING);
		advance(seconds(1.125));
		Job lost = this.store.jobs.get("j5");
		assertThat(lost.status()).isEqualTo(JobStatus.FAILED);
		assertThat(lost.errorCode()).isEqualTo("upstream_error");
		assertThat(this.reads).hasValue(3);
	}

	@Test
	void stopsCheckingAJobAnotherReplicaHasTakenOver() {
		track(upstream(statuses("processing", Integer.MAX_VALUE, "succeeded")), job("j6", JobStatus.STARTING, START));
		advance(seconds(1.25));
		assertThat(this.reads).hasValue(2);

		this.queue.assignments.tryEmitNext(new WorkQueue.Assignment("j6", false));
		advance(Duration.ofMinutes(1));

		assertThat(this.reads).hasValue(2);
		assertThat(this.queue.done).isEmpty();
	}

	@Test
	void aFinishedJobHandedOverIsDoneWithoutAsking() {
		track(upstream(statuses("processing", 1, "succeeded")), job("j7", JobStatus.CANCELED, START));

		advance(Duration.ofSeconds(30));

		assertThat(this.reads).hasValue(0);
		assertThat(this.queue.done).containsExactly("j7");
	}

	@Test
	void aJobHandedOverTwiceIsCheckedOnce() {
		track(upstream(statuses("processing", 1, "succeeded")), job("j8", JobStatus.STARTING, START));
		this.queue.add("j8").block();

		advance(Duration.ofSeconds(30));

		assertThat(this.reads).hasValue(2);
	}

	@Test
	void withCallbacksAnEndRecordedOnAnyReplicaIsSettledAtOnceWithoutAskingTheUpstream() {
		trackWithCallbacks(upstream(statuses("processing", Integer.MAX_VALUE, "succeeded")),
				job("j10", JobStatus.PROCESSING, START));
		advance(seconds(4.2));
		assertThat(this.reads).hasValue(0);

		// what a verified callback does on whichever replica it reaches
		this.store.jobs.put("j10", this.store.jobs.get("j10")
			.updatedFrom(prediction("j10", "succeeded"), START.plusMillis(4200), Duration.ofHours(1)));
		this.notices.announce("j10").block();
		advance(Duration.ZERO);

		assertThat(this.store.jobs.get("j10").settled()).isTrue();
		assertThat(this.queue.done).containsExactly("j10");
		advance(Duration.ofMinutes(5));
		assertThat(this.reads).as("no read before, nor after").hasValue(0);
	}

	@Test
	void withCallbacksTheUpstreamIsStillAskedAtTheSlowRateForACallbackThatNeverComes() {
		trackWithCallbacks(upstream(statuses("processing", 1, "succeeded")), job("j11", JobStatus.STARTING, START));

		advance(seconds(14.99));
		assertThat(this.reads).hasValue(0);
		advance(seconds(0.01));
		assertThat(this.reads).hasValue(1);
		advance(seconds(15));
		assertThat(this.reads).hasValue(2);
		assertThat(this.store.jobs.get("j11").settled()).isTrue();
		assertThat(this.queue.done).containsExactly("j11");
	}

	@Test
	void aNoticeOfAChangeThatIsNotTheEndKeepsTheJobFollowed() {
		trackWithCallbacks(upstream(statuses("processing", 1, "succeeded")), job("j12", JobStatus.STARTING, START));

		this.notices.announce("j12").block();
		advance(seconds(1));

		assertThat(this.queue.done).isEmpty();
		advance(seconds(29));
		assertThat(this.queue.done).containsExactly("j12");
	}

	private void track(JobFakes.Upstream upstream, Job job) {
		track(upstream, job, null);
	}

	private void trackWithCallbacks(JobFakes.Upstream upstream, Job job) {
		track(upstream, job, java.net.URI.create("https://gateway.example/upstream/callback"));
	}

	private void track(JobFakes.Upstream upstream, Job job, java.net.@Nullable URI callbackUrl) {
		this.store.jobs.put(job.id(), job);
		UpstreamProperties properties = new UpstreamProperties(null, Map.of(),
				new UpstreamProperties.Limits(10, Duration.ofSeconds(1), Duration.ZERO), Duration.ofMillis(500),
				Duration.ofSeconds(5), Duration.ofHours(1), callbackUrl,
				(callbackUrl != null) ? "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" : null, Duration.ofSeconds(15));
		Clock clock = new VirtualClock(this.time);
		JobUpdates updates = new JobUpdates(this.store, new JobMetrics(this.registry, Set.of(), clock),
				new RunningJobsLimit(new JobFakes.NoRunningJobs(), clock), this.notices, new JobFakes.NoWebhooks(),
				new JobFakes.NoSpending());
		this.waiters = new JobWaiters(this.notices);
		this.waiters.start();
		this.tracker = new JobTracker(new TrackingQueue(this.queue), this.store, updates, JobFakes.noOutputs(),
				this.waiters, new Upstreams(Map.of("default", upstream)), clock, properties,
				new TrackingProperties(Duration.ofMinutes(1), Duration.ofSeconds(10), 3), this.registry,
				new CachedResults(JobFakes.noResultCache(), this.store, JobFakes.noOutputs(), new JobFakes.NoSpending(),
						new JobMetrics(this.registry, Set.of(), clock), clock, Duration.ofDays(7)));
		this.tracker.start();
		this.queue.add(job.id()).block();
	}

	private JobFakes.Upstream upstream(Function<String, Mono<Prediction>> reads) {
		return new JobFakes.Upstream((id) -> {
			this.reads.incrementAndGet();
			return reads.apply(id);
		});
	}

	/** {@code running} for the first {@code times} reads, then {@code last}. */
	private Function<String, Mono<Prediction>> statuses(String running, int times, String last) {
		AtomicInteger read = new AtomicInteger();
		return (id) -> Mono.just(prediction(id, (read.incrementAndGet() <= times) ? running : last));
	}

	private Prediction prediction(String id, String status) {
		return new Prediction(id, "a/b", "v", status, null, null, START, null, null, null);
	}

	private void advance(Duration duration) {
		this.time.advanceTimeBy(duration);
	}

	/** Wall time that moves with Reactor's virtual time. */
	private static final class VirtualClock extends Clock {

		private final VirtualTimeScheduler time;

		VirtualClock(VirtualTimeScheduler time) {
			this.time = time;
		}

		@Override
		public Instant instant() {
			return START.plusMillis(this.time.now(TimeUnit.MILLISECONDS));
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
