package com.imagegateway.store.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.imagegateway.images.Job;
import com.imagegateway.images.JobCharge;
import com.imagegateway.spend.UsageLedger;

/**
 * Usage and budget reservations in this process's memory, for as long as it runs: one
 * lock, since every change is a few additions. Days older than the usage retention are
 * dropped as new ones are counted.
 */
class InMemoryUsageLedger implements UsageLedger {

	private final Clock clock;

	private final Duration retention;

	/** Per day, per client and model: jobs, images, predict µs, cost µs, unpriced. */
	private final TreeMap<LocalDate, Map<List<String>, long[]>> days = new TreeMap<>();

	private final Map<List<String>, Long> reserved = new HashMap<>();

	private final Set<List<String>> alerted = new HashSet<>();

	InMemoryUsageLedger(Clock clock, Duration retention) {
		this.clock = clock;
		this.retention = retention;
	}

	/** Counts a job that has just finished, and gives back its reservation. */
	synchronized void charge(Job job) {
		JobCharge charge = job.charge();
		if (charge == null) {
			return;
		}
		LocalDate day = LocalDate.ofInstant(charge.pricedAt(), ZoneOffset.UTC);
		long[] counts = this.days.computeIfAbsent(day, (created) -> new HashMap<>())
			.computeIfAbsent(List.of(job.client(), job.modelPath()), (key) -> new long[5]);
		counts[0]++;
		counts[1] += charge.images();
		counts[2] += charge.predictMicros();
		counts[3] += charge.amountMicros();
		counts[4] += (charge.priced() == JobCharge.Priced.UNKNOWN) ? 1 : 0;
		if (charge.budgetPeriod() != null && charge.reservedMicros() > 0) {
			this.reserved.merge(List.of(job.client(), charge.budgetPeriod()), -charge.reservedMicros(), Long::sum);
		}
		this.days.headMap(LocalDate.ofInstant(this.clock.instant().minus(this.retention), ZoneOffset.UTC)).clear();
	}

	@Override
	public Mono<Reservation> reserve(String client, BudgetWindow window, long limitMicros, long estimateMicros,
			long alertMicros) {
		return Mono.fromSupplier(() -> {
			synchronized (this) {
				long spent = 0;
				for (LocalDate day : window.days()) {
					for (Map.Entry<List<String>, long[]> counts : this.days.getOrDefault(day, Map.of()).entrySet()) {
						if (counts.getKey().get(0).equals(client)) {
							spent += counts.getValue()[3];
						}
					}
				}
				List<String> key = List.of(client, window.period());
				long held = this.reserved.getOrDefault(key, 0L);
				boolean admitted = (estimateMicros > 0) ? spent + held + estimateMicros <= limitMicros
						: spent + held < limitMicros;
				if (admitted) {
					held += estimateMicros;
					this.reserved.put(key, held);
				}
				boolean alertNow = alertMicros >= 0 && spent + held >= alertMicros && this.alerted.add(key);
				return new Reservation(admitted, spent, held, alertNow);
			}
		});
	}

	@Override
	public Mono<Void> release(String client, String period, long micros) {
		return Mono.fromRunnable(() -> {
			synchronized (this) {
				this.reserved.merge(List.of(client, period), -micros, Long::sum);
			}
		});
	}

	@Override
	public Mono<Long> reserved(String client, String period) {
		return Mono.fromSupplier(() -> {
			synchronized (this) {
				return this.reserved.getOrDefault(List.of(client, period), 0L);
			}
		});
	}

	@Override
	public Flux<UsageCount> usage(LocalDate from, LocalDate until, @Nullable String client) {
		return Flux.defer(() -> {
			List<UsageCount> found = new ArrayList<>();
			synchronized (this) {
				this.days.subMap(from, until).forEach((day, byKey) -> byKey.forEach((key, counts) -> {
					if (client == null || key.get(0).equals(client)) {
						found.add(new UsageCount(day, key.get(0), key.get(1), counts[0], counts[1], counts[2],
								counts[3], counts[4]));
					}
				}));
			}
			return Flux.fromIterable(found);
		});
	}

}
