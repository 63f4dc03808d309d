package com.imagegateway.store.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.imagegateway.images.Job;
import com.imagegateway.images.JobCharge;
import com.imagegateway.spend.UsageLedger;

/**
 * Usage in Redis, one hash per UTC day ({@code igw:usage:<day>}) holding integer counts
 * per client and model, kept {@code gateway.pricing.usage-retention}; each client's
 * reservations per budget period under {@code igw:budget:<client>:<period>}. Only scripts
 * change them: the job store's when a job finishes ({@code charge.lua}), and
 * {@code budget-reserve.lua}.
 */
class RedisUsageLedger implements UsageLedger {

	/** Parts of a usage field: client, model, count. */
	private static final String SEPARATOR = "\t";

	/** Days read at once by a usage query. */
	private static final int DAYS_AT_ONCE = 16;

	private final RedisCalls redis;

	private final Clock clock;

	RedisUsageLedger(RedisCalls redis, Clock clock) {
		this.redis = redis;
		this.clock = clock;
	}

	@Override
	public Mono<Reservation> reserve(String client, BudgetWindow window, long limitMicros, long estimateMicros,
			long alertMicros) {
		List<String> keys = new ArrayList<>();
		keys.add(reservedKey(this.redis, client, window.period()));
		keys.add(reservedKey(this.redis, client, window.period()) + ":alerted");
		window.days().forEach((day) -> keys.add(usageKey(this.redis, day)));
		// a reservation outlives its period by a day, in case a job runs across its end
		long keep = Math.max(1, Duration.between(this.clock.instant(), window.end()).plusDays(1).toMillis());
		return this.redis
			.script(RedisScripts.BUDGET_RESERVE, keys, client + SEPARATOR + SEPARATOR + "cost", limitMicros,
					estimateMicros, alertMicros, keep)
			.map((result) -> new Reservation(number(result, 0) == 1, number(result, 1), number(result, 2),
					number(result, 3) == 1));
	}

	@Override
	public Mono<Void> release(String client, String period, long micros) {
		return this.redis.script(RedisScripts.BUDGET_RELEASE, reservedKey(this.redis, client, period), micros).then();
	}

	@Override
	public Mono<Long> reserved(String client, String period) {
		return this.redis.guard(this.redis.template().opsForValue().get(reservedKey(this.redis, client, period)))
			.map(Long::parseLong)
			.defaultIfEmpty(0L);
	}

	@Override
	public Flux<UsageCount> usage(LocalDate from, LocalDate until, @Nullable String client) {
		return Flux.fromStream(from.datesUntil(until))
			.flatMapSequential((day) -> this.redis.guard(
					this.redis.template().<String, String>opsForHash().entries(usageKey(this.redis, day)).collectList())
				.flatMapIterable((fields) -> counts(day, fields, client)), DAYS_AT_ONCE);
	}

	private static List<UsageCount> counts(LocalDate day, List<Map.Entry<String, String>> fields,
			@Nullable String client) {
		Map<List<String>, long[]> byKey = new HashMap<>();
		for (Map.Entry<String, String> field : fields) {
			String[] parts = field.getKey().split(SEPARATOR, -1);
			if (parts.length != 3 || parts[1].isEmpty() || (client != null && !client.equals(parts[0]))) {
				// a client's total, or another client's count
				continue;
			}
			long[] counts = byKey.computeIfAbsent(List.of(parts[0], parts[1]), (key) -> new long[5]);
			long value = Long.parseLong(field.getValue());
			switch (parts[2]) {
				case "jobs" -> counts[0] = value;
				case "images" -> counts[1] = value;
				case "predict" -> counts[2] = value;
				case "cost" -> counts[3] = value;
				case "unpriced" -> counts[4] = value;
				default -> {
					// a count a newer version keeps
				}
			}
		}
		List<UsageCount> found = new ArrayList<>(byKey.size());
		byKey.forEach((key, counts) -> found
			.add(new UsageCount(day, key.get(0), key.get(1), counts[0], counts[1], counts[2], counts[3], counts[4])));
		return found;
	}

	/**
	 * The keys and arguments {@code charge.lua} takes for the job: its creation day's
	 * usage, its reservation, then what it counts for.
	 */
	static ChargeArguments chargeOf(RedisCalls redis, Job job, Duration retention) {
		JobCharge charge = job.charge();
		LocalDate day = LocalDate.ofInstant((charge != null) ? charge.pricedAt() : job.createdAt(), ZoneOffset.UTC);
		String period = (charge != null && charge.budgetPeriod() != null) ? charge.budgetPeriod() : "none";
		List<String> keys = List.of(usageKey(redis, day), reservedKey(redis, job.client(), period));
		if (charge == null || !job.terminal()) {
			// charge.lua counts only the write that finishes a job: a running job's many
			// saves skip the model's parse and the arguments nothing will read
			return new ChargeArguments(keys, List.of(retention.toMillis(), "", "", 0, 0, 0, 0, 0));
		}
		return new ChargeArguments(keys,
				List.of(retention.toMillis(), job.client(), job.modelPath(), charge.images(), charge.predictMicros(),
						charge.amountMicros(), (charge.priced() == JobCharge.Priced.UNKNOWN) ? 1 : 0,
						(charge.budgetPeriod() != null) ? charge.reservedMicros() : 0));
	}

	private static String usageKey(RedisCalls redis, LocalDate day) {
		return redis.key("usage", day.toString());
	}

	private static String reservedKey(RedisCalls redis, String client, String period) {
		return redis.key("budget", client, period);
	}

	private static long number(List<?> result, int index) {
		return ((Number) result.get(index)).longValue();
	}

	/** What {@code charge.lua} is given: two keys, eight arguments. */
	record ChargeArguments(List<String> keys, List<Object> arguments) {
	}

}
