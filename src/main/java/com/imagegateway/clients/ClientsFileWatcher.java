package com.imagegateway.clients;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.SmartLifecycle;

/**
 * Reads {@code gateway.clients-file} again every
 * {@code gateway.clients-file-check-interval} and applies a change to the
 * {@link ClientRegistry}. Reading beats file-system events here: a mounted ConfigMap
 * changes by a symbolic link swapped in a parent directory, which watches of the file
 * miss, and the files are a few kilobytes.
 */
class ClientsFileWatcher implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ClientsFileWatcher.class);

	private final ClientsFile file;

	private final ClientRegistry registry;

	private final Duration interval;

	private final Counter applied;

	private final Counter rejected;

	private @Nullable Disposable checks;

	ClientsFileWatcher(ClientsFile file, ClientRegistry registry, Duration interval, MeterRegistry meters) {
		this.file = file;
		this.registry = registry;
		this.interval = interval;
		this.applied = reloads(meters, "applied");
		this.rejected = reloads(meters, "rejected");
	}

	private static Counter reloads(MeterRegistry meters, String outcome) {
		return Counter.builder("gateway.config.reloads")
			.description("Changes of gateway.clients-file, applied or refused (the running clients stay)")
			.tag("outcome", outcome)
			.register(meters);
	}

	/** One look at the files; runs off the event loops (it reads files). */
	void check() {
		try {
			this.file.reloadIfChanged().ifPresent((clients) -> {
				this.registry.replace(clients);
				this.applied.increment();
				logger.info("Clients reloaded from " + this.file.paths() + ": " + this.registry.clients().size()
						+ " clients");
			});
		}
		catch (IllegalStateException refused) {
			// every message names a property, file or line, never a value
			this.rejected.increment();
			logger.warn("Clients file change refused, the running clients stay: " + refused.getMessage());
		}
	}

	@Override
	public void start() {
		if (!this.file.configured()) {
			return;
		}
		long millis = this.interval.toMillis();
		this.checks = Schedulers.boundedElastic()
			.schedulePeriodically(this::check, millis, millis, TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		if (this.checks != null) {
			this.checks.dispose();
			this.checks = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.checks != null;
	}

}
