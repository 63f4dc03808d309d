package com.imagegateway;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Runs test requests truly at the same time: on two cores the common fork-join pool has
 * one worker, so {@code supplyAsync} without an executor would send them one after the
 * other.
 */
public final class Concurrently {

	public static final Executor CONCURRENTLY = Executors.newVirtualThreadPerTaskExecutor();

	private Concurrently() {
	}

	/** Runs {@code call} {@code times} times at once and returns each result. */
	public static <T> List<T> run(int times, Supplier<T> call) {
		List<CompletableFuture<T>> calls = IntStream.range(0, times)
			.mapToObj((i) -> CompletableFuture.supplyAsync(call, CONCURRENTLY))
			.toList();
		return calls.stream().map(CompletableFuture::join).toList();
	}

}
