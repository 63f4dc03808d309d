package com.imagegateway.store.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.imagegateway.images.ResultCache;

/** This process's cached results, each forgotten when its images are due to go. */
class InMemoryResultCache implements ResultCache {

	private final Cache<String, Entry> entries;

	private final Clock clock;

	InMemoryResultCache(Clock clock, long maximumSize) {
		this.clock = clock;
		this.entries = Caffeine.newBuilder()
			.maximumSize(maximumSize)
			.expireAfter(Expiry.<String, Entry>writing((key, entry) -> entry.lifetime()))
			.ticker(new ClockTicker(clock))
			.executor(Runnable::run)
			.build();
	}

	@Override
	public Mono<Void> remember(String owner, String key, Result result, Instant until) {
		return Mono.fromRunnable(() -> {
			Duration lifetime = Duration.between(this.clock.instant(), until);
			if (lifetime.isPositive()) {
				this.entries.put(owner + ':' + key, new Entry(result, lifetime));
			}
		});
	}

	@Override
	public Flux<Result> find(List<String> owners, String key) {
		return Flux.fromIterable(owners).mapNotNull((owner) -> {
			Entry entry = this.entries.getIfPresent(owner + ':' + key);
			return (entry != null) ? entry.result() : null;
		});
	}

	@Override
	public Mono<Void> forget(String owner, String key) {
		return Mono.fromRunnable(() -> this.entries.invalidate(owner + ':' + key));
	}

	private record Entry(Result result, Duration lifetime) {
	}

}
