package com.imagegateway.queue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import com.imagegateway.system.Durations;

/**
 * What a replica does with the entries a {@link WorkQueue} assigns to it: each entry is
 * worked on by one subscription (no thread) until its work completes, and is then done;
 * an entry another replica has taken over is dropped; on stop, this replica's entries are
 * handed back for the others. The job tracker and the webhook deliverer both work this
 * way.
 */
public final class QueueWork {

	private static final Log logger = LogFactory.getLog(QueueWork.class);

	/**
	 * Store calls around an entry are retried: an entry must not be dropped because the
	 * store blinked.
	 */
	public static final Retry STORE_RETRY = Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
		.maxBackoff(Duration.ofSeconds(5));

	private final WorkQueue queue;

	private final String entries;

	private final Duration takeoverAfter;

	private final Function<String, Mono<?>> work;

	private final Map<String, Disposable> working = new ConcurrentHashMap<>();

	private volatile Disposable assignments;

	/**
	 * @param entries what the entries are, for the log ("Tracked jobs")
	 * @param work the work on one entry, by its id; the entry is done when it completes
	 */
	public QueueWork(WorkQueue queue, String entries, Duration takeoverAfter, Function<String, Mono<?>> work) {
		this.queue = queue;
		this.entries = entries;
		this.takeoverAfter = takeoverAfter;
		this.work = work;
	}

	/** How many entries this replica is working on. */
	public int size() {
		return this.working.size();
	}

	public void start() {
		this.assignments = this.queue.assignments().subscribe((assignment) -> {
			if (assignment.follow()) {
				begin(assignment.jobId());
			}
			else {
				drop(assignment.jobId());
			}
		}, (failure) -> logger.error(this.entries + ": assignments stopped", failure));
	}

	public void stop(Runnable callback) {
		Disposable assignments = this.assignments;
		this.assignments = null;
		if (assignments != null) {
			assignments.dispose();
		}
		this.working.keySet().forEach(this::drop);
		this.queue.release()
			.timeout(Duration.ofSeconds(2))
			.doOnError((failure) -> logger.warn(this.entries + " not released; other replicas take them over in "
					+ Durations.readable(this.takeoverAfter) + ": " + failure))
			.onErrorComplete()
			.doFinally((signal) -> callback.run())
			.subscribe();
	}

	public boolean isRunning() {
		return this.assignments != null;
	}

	private void begin(String id) {
		Disposable.Swap working = Disposables.swap();
		if (this.working.putIfAbsent(id, working) != null) {
			return;
		}
		working.update(Mono.defer(() -> this.work.apply(id))
			.then(Mono.defer(() -> this.queue.done(id)).retryWhen(STORE_RETRY))
			.doFinally((signal) -> this.working.remove(id, working))
			.subscribe(null, (failure) -> logger.error(this.entries + ": work on " + id + " failed", failure)));
	}

	private void drop(String id) {
		Disposable working = this.working.remove(id);
		if (working != null) {
			working.dispose();
		}
	}

}
