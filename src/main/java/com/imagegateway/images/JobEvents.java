package com.imagegateway.images;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Flux;

import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

/**
 * A job's status changes as Server-Sent Events: one {@code status} event for each status
 * the gateway records, numbered by the status's place in a job's life (1 starting, 2
 * processing, 3 finished), so that a stream resumed with {@code Last-Event-ID} repeats
 * nothing whichever replica serves it. A finished job's event waits until its outputs are
 * stored, the moment a held {@code Prefer: wait} answers, so that it carries the
 * gateway's own links; it ends the stream. Nothing but a subscription is held per stream.
 */
@Component
class JobEvents {

	static final String STATUS = "status";

	private final JobWaits waits;

	private final SignedOutputLinks links;

	private final Duration heartbeat;

	JobEvents(JobWaits waits, SignedOutputLinks links, EventsProperties properties) {
		this.waits = waits;
		this.links = links;
		this.heartbeat = properties.heartbeat();
	}

	/** The job's events after {@code lastEventId} (0 for all), then the end. */
	Flux<ServerSentEvent<ImageJob>> stream(Job job, long lastEventId, URI gateway) {
		AtomicLong sent = new AtomicLong(lastEventId);
		Flux<ServerSentEvent<ImageJob>> statuses = this.waits.changes(job)
			.filter((changed) -> !changed.terminal() || changed.settled())
			.filter((changed) -> number(changed) > sent.get())
			.map((changed) -> {
				sent.set(number(changed));
				return ServerSentEvent.builder(ImageJob.of(changed, gateway, this.links))
					.event(STATUS)
					.id(Long.toString(number(changed)))
					.build();
			});
		Flux<ServerSentEvent<ImageJob>> heartbeats = Flux.interval(this.heartbeat, this.heartbeat)
			.map((tick) -> ServerSentEvent.<ImageJob>builder().comment("heartbeat").build());
		return statuses.publish((shared) -> Flux.merge(shared, heartbeats.takeUntilOther(shared.then())));
	}

	/**
	 * The event id of a job's status: its place in a job's life, the same on every
	 * replica.
	 */
	static long number(Job job) {
		if (job.terminal()) {
			return 3;
		}
		return (job.status() == JobStatus.STARTING) ? 1 : 2;
	}

}
