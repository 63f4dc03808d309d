package com.imagegateway.images;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import com.imagegateway.system.ShutdownSignal;
import com.imagegateway.upstream.UpstreamProperties;

import static com.imagegateway.images.JobFakes.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code Prefer: wait} holds no thread and asks no upstream: it answers as soon as the
 * notice of the job's end arrives, whichever replica's tracker recorded it, and reads the
 * store every {@code max-poll-interval} in case a notice was lost. Proven on Reactor's
 * virtual time.
 */
class AwaitFinishedTest {

	private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	/**
	 * Virtual time stands still: a wait whose notice was lost would never end. Real time
	 * is bounded instead, so that such a bug fails the test rather than hanging the
	 * build.
	 */
	private static final Duration VERIFY_WITHIN = Duration.ofSeconds(10);

	private final ShutdownSignal shutdown = new ShutdownSignal();

	private final JobFakes.Store store = new CountingStore();

	private final AtomicInteger storeReads = new AtomicInteger();

	/**
	 * Connected by {@link #listening()}: until then, notices are lost, as on a replica
	 * starting.
	 */
	private final JobFakes.Notices notices = new JobFakes.Notices(false);

	private final JobWaiters waiters = new JobWaiters(this.notices);

	private final JobWaits waits = waits();

	@AfterEach
	void stopWaiters() {
		this.waiters.stop();
	}

	/**
	 * Once failed in CI (the notices' subscription not yet live): a race is run many
	 * times.
	 */
	@RepeatedTest(200)
	void answersAsSoonAsTheJobsEndIsAnnounced() {
		listening();
		this.store.jobs.put("j", job("j", JobStatus.PROCESSING, START));

		StepVerifier
			.withVirtualTime(
					() -> this.waits.awaitFinished(job("j", JobStatus.STARTING, START), Duration.ofSeconds(60)))
			.expectSubscription()
			.thenAwait(Duration.ofMillis(1200))
			.then(() -> finish("j"))
			.assertNext((job) -> assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED))
			.expectComplete()
			.verify(VERIFY_WITHIN);
		assertThat(this.storeReads).hasValue(2); // once when the wait began, once on the
													// notice
	}

	/** Failed in CI: the end's notice fell between two registrations of the waiter. */
	@RepeatedTest(200)
	void answersAtTheEndsNoticeAfterNoticesOfTheJobRunning() {
		listening();
		this.store.jobs.put("j", job("j", JobStatus.STARTING, START));

		StepVerifier
			.withVirtualTime(
					() -> this.waits.awaitFinished(job("j", JobStatus.STARTING, START), Duration.ofSeconds(60)))
			.expectSubscription()
			.thenAwait(Duration.ofMillis(600))
			.then(() -> {
				this.store.jobs.put("j", job("j", JobStatus.PROCESSING, START));
				this.notices.announce("j").block();
			})
			.thenAwait(Duration.ofMillis(600))
			.then(() -> finish("j"))
			.assertNext((job) -> assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED))
			.expectComplete()
			// virtual time stands still: without the end's notice heard, this would wait
			// for ever
			.verify(VERIFY_WITHIN);
		assertThat(this.storeReads).hasValue(3); // when the wait began, then on each
													// notice
	}

	@Test
	void readsTheStoreEveryMaxPollIntervalInCaseANoticeWasLost() {
		listening();
		this.store.jobs.put("j", job("j", JobStatus.PROCESSING, START));

		StepVerifier
			.withVirtualTime(
					() -> this.waits.awaitFinished(job("j", JobStatus.STARTING, START), Duration.ofSeconds(60)))
			.expectSubscription()
			.thenAwait(Duration.ofSeconds(6))
			.then(() -> this.store.jobs.put("j", job("j", JobStatus.SUCCEEDED, START)))
			.expectNoEvent(Duration.ofSeconds(4).minusMillis(1))
			.thenAwait(Duration.ofMillis(1))
			.assertNext((job) -> assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED))
			.expectComplete()
			.verify(VERIFY_WITHIN);
		assertThat(this.storeReads).hasValue(3); // at 0, 5 and 10 s
	}

	@Test
	void answersWithTheLatestStateWhenPatienceRunsOut() {
		listening();
		this.store.jobs.put("j", job("j", JobStatus.PROCESSING, START));

		StepVerifier
			.withVirtualTime(() -> this.waits.awaitFinished(job("j", JobStatus.STARTING, START), Duration.ofSeconds(7)))
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(7).minusMillis(1))
			.thenAwait(Duration.ofMillis(1))
			.assertNext((job) -> assertThat(job.status()).isEqualTo(JobStatus.PROCESSING))
			.expectComplete()
			.verify(VERIFY_WITHIN);
	}

	@Test
	void shutdownEndsTheWaitAtOnceWithTheLatestState() {
		listening();
		this.store.jobs.put("j", job("j", JobStatus.PROCESSING, START));

		StepVerifier
			.withVirtualTime(
					() -> this.waits.awaitFinished(job("j", JobStatus.STARTING, START), Duration.ofSeconds(60)))
			.expectSubscription()
			.thenAwait(Duration.ofSeconds(1))
			.then(this.shutdown::stop)
			.assertNext((job) -> assertThat(job.status()).isEqualTo(JobStatus.PROCESSING))
			.expectComplete()
			.verify(VERIFY_WITHIN);
	}

	@Test
	void aNoticeSentBeforeTheReplicaListenedIsMadeUpForByAReadOnceItDoes() {
		this.store.jobs.put("j", job("j", JobStatus.PROCESSING, START));

		StepVerifier
			.withVirtualTime(
					() -> this.waits.awaitFinished(job("j", JobStatus.STARTING, START), Duration.ofSeconds(60)))
			.expectSubscription()
			.thenAwait(Duration.ofMillis(1200))
			.then(() -> finish("j")) // nobody listens yet: the notice is lost
			.expectNoEvent(Duration.ofSeconds(1))
			.then(this.notices::connect)
			.assertNext((job) -> assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED))
			.expectComplete()
			.verify(VERIFY_WITHIN);
		assertThat(this.storeReads).hasValue(2); // when the wait began, then when the
													// replica listened
	}

	@Test
	void aWaiterThatLeavesDoesNotDeafenAnotherWaitingForTheSameJob() {
		listening();
		this.store.jobs.put("j", job("j", JobStatus.PROCESSING, START));
		Job running = job("j", JobStatus.STARTING, START);

		StepVerifier
			.withVirtualTime(() -> Mono.zip(this.waits.awaitFinished(running, Duration.ofSeconds(2)),
					this.waits.awaitFinished(running, Duration.ofSeconds(60))))
			.expectSubscription()
			.thenAwait(Duration.ofSeconds(3)) // the first gave up
			.then(() -> finish("j"))
			.assertNext((both) -> {
				assertThat(both.getT1().status()).isEqualTo(JobStatus.PROCESSING);
				assertThat(both.getT2().status()).isEqualTo(JobStatus.SUCCEEDED);
			})
			.expectComplete()
			.verify(VERIFY_WITHIN);
	}

	@Test
	void doesNotWaitForAJobThatHasAlreadyFinished() {
		Job finished = job("j", JobStatus.FAILED, START);

		StepVerifier.create(this.waits.awaitFinished(finished, Duration.ofSeconds(60)))
			.expectNext(finished)
			.expectComplete()
			.verify(VERIFY_WITHIN);
		assertThat(this.storeReads).hasValue(0);
	}

	/**
	 * Starts listening to notices, as a replica does once its store connects, and waits
	 * until it does.
	 */
	private void listening() {
		this.notices.connect();
		await().atMost(VERIFY_WITHIN).until(this.waiters::listening);
	}

	private void finish(String id) {
		this.store.jobs.put(id, job(id, JobStatus.SUCCEEDED, START));
		this.notices.announce(id).block();
	}

	private JobWaits waits() {
		this.waiters.start();
		UpstreamProperties properties = new UpstreamProperties(null, Map.of(),
				new UpstreamProperties.Limits(10, Duration.ofSeconds(1), Duration.ZERO), Duration.ofMillis(500),
				Duration.ofSeconds(5), Duration.ofHours(1), null, null, Duration.ofSeconds(15));
		return new JobWaits(this.store, this.waiters, this.shutdown, properties);
	}

	private final class CountingStore extends JobFakes.Store {

		@Override
		public Mono<Job> find(String id) {
			return super.find(id).doOnSubscribe((subscription) -> AwaitFinishedTest.this.storeReads.incrementAndGet());
		}

	}

}
