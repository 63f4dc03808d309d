package com.imagegateway.images;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import com.imagegateway.clients.GatewayClient;
import com.imagegateway.queue.WorkQueue;
import com.imagegateway.storage.OutputStorage;
import com.imagegateway.storage.StorageProperties;
import com.imagegateway.upstream.ModelRef;
import com.imagegateway.upstream.Prediction;
import com.imagegateway.upstream.PredictionRequest;
import com.imagegateway.upstream.Predictions;
import com.imagegateway.upstream.Upstreams;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.util.unit.DataSize;

/**
 * Plain stand-ins for the ports, for tests of the job rules on Reactor's virtual time.
 */
final class JobFakes {

	private JobFakes() {
	}

	static Job job(String id, JobStatus status, Instant createdAt) {
		return new Job(id, "team", "default", "a/b", null, status, "p", List.of(), null, null, null, createdAt, null,
				null, null, null, null, false, null, null, null);
	}

	/**
	 * An upstream whose reads answer what {@code reads} says and whose cancels are
	 * recorded.
	 */
	record Upstream(Function<String, Mono<Prediction>> reads, List<String> canceled) implements Predictions {

		Upstream(Function<String, Mono<Prediction>> reads) {
			this(reads, new CopyOnWriteArrayList<>());
		}

		@Override
		public Mono<Prediction> create(PredictionRequest request) {
			return Mono.error(new UnsupportedOperationException());
		}

		@Override
		public Mono<Prediction> get(String id) {
			return Mono.defer(() -> this.reads.apply(id));
		}

		@Override
		public Flux<DataBuffer> output(String url) {
			return Flux.error(new UnsupportedOperationException());
		}

		@Override
		public Mono<Prediction> cancel(String id) {
			this.canceled.add(id);
			return Mono.just(new Prediction(id, "a/b", "v", "canceled", null, null, null, null, null, null));
		}

	}

	/** Jobs in a map, with the store's one rule: a finished job never changes. */
	static class Store implements JobStore {

		final Map<String, Job> jobs = new ConcurrentHashMap<>();

		@Override
		public Mono<Saved> save(Job job) {
			return Mono.fromSupplier(() -> {
				Job existing = this.jobs.get(job.id());
				if (existing != null && !Saved.advances(existing, job)) {
					return new Saved(existing, false, false);
				}
				this.jobs.put(job.id(), job);
				return new Saved(job, job.terminal() && (existing == null || !existing.terminal()), job.settled());
			});
		}

		/**
		 * Stores the job; the tests that follow jobs hand them to the tracker themselves.
		 */
		@Override
		public Mono<Saved> add(Job created) {
			return save(created);
		}

		@Override
		public Flux<String> queueUnfollowed() {
			return Flux.empty();
		}

		@Override
		public Mono<Job> find(String id) {
			return Mono.justOrEmpty(this.jobs.get(id));
		}

		@Override
		public Mono<JobPage> list(String client, @Nullable JobStatus status, @Nullable JobCursor after, int limit) {
			return Mono.empty();
		}

		@Override
		public Flux<Job> keptBefore(Instant cutoff, int limit) {
			return Flux.empty();
		}

		@Override
		public Mono<Boolean> claimSweep(Duration hold) {
			return Mono.just(true);
		}

	}

	/**
	 * Jobs without prices or budgets: every job costs an unknown amount, never refused.
	 */
	static final class NoSpending implements JobSpending {

		@Override
		public Mono<JobCharge> reserve(GatewayClient client, ModelRef model, int images, Instant now) {
			return Mono.just(new JobCharge("USD", now, JobCharge.Priced.UNKNOWN, 0, 0, null, 0, 0, false));
		}

		@Override
		public Mono<Void> release(String client, JobCharge reserved) {
			return Mono.empty();
		}

		@Override
		public JobCharge finalCharge(Job finished) {
			return new JobCharge("USD", finished.createdAt(), JobCharge.Priced.UNKNOWN, 0, 0, null, 0, 0, true);
		}

		@Override
		public JobCharge free(Instant now) {
			return new JobCharge("USD", now, JobCharge.Priced.FINAL, 0, 0, null, 0, 0, true);
		}

		@Override
		public void finished(Job job) {
		}

	}

	/** Jobs without webhooks: nothing to deliver. */
	static final class NoWebhooks implements JobWebhooks {

		@Override
		public Mono<String> check(com.imagegateway.clients.GatewayClient client, String url) {
			return Mono.error(new IllegalStateException("no webhooks here"));
		}

		@Override
		public Mono<Void> recorded(Job job) {
			return Mono.empty();
		}

		@Override
		public Mono<List<Delivery>> deliveries(Job job) {
			return Mono.just(List.of());
		}

	}

	/** The jobs handed to trackers, and those done. */
	static final class Queue implements WorkQueue {

		final Sinks.Many<Assignment> assignments = Sinks.many().replay().all();

		final Set<String> done = ConcurrentHashMap.newKeySet();

		@Override
		public Mono<Void> add(String jobId) {
			return Mono.fromRunnable(() -> this.assignments.tryEmitNext(new Assignment(jobId, true)));
		}

		@Override
		public Flux<Assignment> assignments() {
			return this.assignments.asFlux();
		}

		@Override
		public Mono<Void> done(String jobId) {
			return Mono.fromRunnable(() -> this.done.add(jobId));
		}

		@Override
		public Mono<Void> release() {
			return Mono.empty();
		}

	}

	/**
	 * Notices as the real ones behave: lost while nobody listens,
	 * {@link JobNotices#LISTENING} first once a subscriber does, which happens when
	 * {@link #connect()} is called (at once unless constructed to wait for it).
	 */
	static final class Notices implements JobNotices {

		final Sinks.Many<String> announced = Sinks.many().multicast().directBestEffort();

		private final Sinks.Empty<Void> connected = Sinks.empty();

		Notices() {
			this(true);
		}

		Notices(boolean connected) {
			if (connected) {
				connect();
			}
		}

		void connect() {
			this.connected.tryEmitEmpty();
		}

		@Override
		public Mono<Void> announce(String jobId) {
			return Mono.fromRunnable(() -> this.announced.tryEmitNext(jobId));
		}

		@Override
		public Flux<String> announced() {
			return this.connected.asMono().thenMany(Flux.merge(this.announced.asFlux(), Mono.just(LISTENING)));
		}

	}

	static final class NoRunningJobs implements RunningJobs {

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

	/**
	 * Outputs kept nowhere: every one is reported lost, and removing them succeeds. For
	 * jobs without outputs.
	 */
	static JobOutputs noOutputs() {
		return new JobOutputs() {

			@Override
			public Mono<List<OutputCopy>> keep(Job finished) {
				return Flux.fromIterable(finished.outputUrls())
					.map((url) -> OutputCopy.notStored("lost"))
					.collectList();
			}

			@Override
			public Mono<Void> copyKept(Job source, String targetId) {
				return Mono.empty();
			}

			@Override
			public Mono<Void> remove(Job job) {
				return Mono.empty();
			}

		};
	}

	/** A cache that remembers nothing. */
	static ResultCache noResultCache() {
		return new ResultCache() {

			@Override
			public Mono<Void> remember(String owner, String key, Result result, Instant until) {
				return Mono.empty();
			}

			@Override
			public Flux<Result> find(List<String> owners, String key) {
				return Flux.empty();
			}

			@Override
			public Mono<Void> forget(String owner, String key) {
				return Mono.empty();
			}

		};
	}

	static Duration seconds(double seconds) {
		return Duration.ofMillis((long) (seconds * 1000));
	}

}
