package com.imagegateway.images;

import java.util.List;

import reactor.core.publisher.Mono;

/**
 * Keeps a succeeded job's outputs past the upstream's links, which expire after an hour:
 * the tracker settles a job only once each output is kept or given up, and the retention
 * sweep removes what was kept with the job's other data.
 */
public interface JobOutputs {

	/**
	 * What became of each output of the finished job, in the order of
	 * {@link Job#outputUrls()}; never fails (an output that cannot be kept is reported as
	 * not stored, with the reason).
	 */
	Mono<List<OutputCopy>> keep(Job finished);

	/**
	 * Copies what was kept of the source job's outputs to the job {@code targetId}, each
	 * at the same index: a cache hit's images are its own, kept and removed with it.
	 */
	Mono<Void> copyKept(Job source, String targetId);

	/** Deletes whatever was kept of the job's outputs; fails if a deletion fails. */
	Mono<Void> remove(Job job);

}
