package com.imagegateway;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Runs test requests truly at the same time: on two cores the common fork-join pool has one
 * worker, so {@code supplyAsync} without an executor would send them one after the other.
 */
public final class Concurrently {

	public static final Executor CONCURRENTLY = Executors.newVirtualThreadPerTaskExecutor();

	private Concurrently() {
	}

}
