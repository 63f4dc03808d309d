package com.imagegateway.system;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signal means shutdown, and only shutdown: a context paused (as the test framework
 * pauses a cached one) or stopped and started again still holds its requests.
 */
class ShutdownSignalTest {

	@Test
	void aPausedAndRestartedContextIsNotShuttingDown() {
		try (GenericApplicationContext context = context()) {
			context.pause();
			context.restart();

			assertThat(stopping(context)).isNotDone();
		}
	}

	@Test
	void aContextStoppedAndStartedAgainSignalsOnlyItsNextShutdown() {
		GenericApplicationContext context = context();
		ShutdownSignal signal = context.getBean(ShutdownSignal.class);
		context.stop();
		context.start();
		CompletableFuture<Void> next = signal.stopping().toFuture();
		assertThat(next).isNotDone();

		context.close();

		assertThat(next).isCompleted();
		assertThat(signal.stopping().toFuture()).isCompleted();
	}

	private static GenericApplicationContext context() {
		GenericApplicationContext context = new GenericApplicationContext();
		context.registerBean(ShutdownSignal.class);
		context.refresh();
		return context;
	}

	private static CompletableFuture<Void> stopping(GenericApplicationContext context) {
		return context.getBean(ShutdownSignal.class).stopping().toFuture();
	}

}
