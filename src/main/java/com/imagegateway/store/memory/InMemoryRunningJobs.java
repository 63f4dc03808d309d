package com.imagegateway.store.memory;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

import com.imagegateway.images.RunningJobs;

/** Running jobs in this process's memory: each client's entries with their deadlines. */
class InMemoryRunningJobs implements RunningJobs {

	private final Map<String, Map<String, Instant>> byClient = new ConcurrentHashMap<>();

	@Override
	public Mono<Boolean> tryAdd(String client, String entry, int cap, Instant now, Instant countUntil) {
		return Mono.fromSupplier(() -> {
			Map<String, Instant> entries = entries(client);
			synchronized (entries) {
				entries.values().removeIf((deadline) -> !deadline.isAfter(now));
				if (entries.size() >= cap) {
					return false;
				}
				entries.put(entry, countUntil);
				return true;
			}
		});
	}

	@Override
	public Mono<Void> rename(String client, String entry, String newName) {
		return Mono.fromRunnable(() -> {
			Map<String, Instant> entries = entries(client);
			synchronized (entries) {
				Instant deadline = entries.remove(entry);
				if (deadline != null) {
					entries.put(newName, deadline);
				}
			}
		});
	}

	@Override
	public Mono<Void> remove(String client, String entry) {
		return Mono.fromRunnable(() -> {
			Map<String, Instant> entries = entries(client);
			synchronized (entries) {
				entries.remove(entry);
			}
		});
	}

	private Map<String, Instant> entries(String client) {
		return this.byClient.computeIfAbsent(client, (name) -> new HashMap<>());
	}

}
