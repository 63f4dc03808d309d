package com.imagegateway.store.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts that keep each rule atomic across replicas; Spring sends them by SHA
 * once Redis has them. Several touch keys that do not share a hash slot (a job, its
 * client's listing, the trackers' queue): Redis Cluster is not supported
 * ({@link RedisStoreConfiguration}).
 */
final class RedisScripts {

	/** Both count the finish they record in its client's usage, with charge.lua. */
	static final RedisScript<List> SAVE_JOB = RedisScript.of(source("charge.lua") + source("save-job.lua"), List.class);

	static final RedisScript<List> RECORD_JOB = RedisScript.of(source("charge.lua") + source("record-job.lua"),
			List.class);

	static final RedisScript<List> BUDGET_RESERVE = list("budget-reserve.lua");

	static final RedisScript<Long> BUDGET_RELEASE = number("budget-release.lua");

	static final RedisScript<List> QUEUE_UNFOLLOWED = list("queue-unfollowed.lua");

	static final RedisScript<List> TAKE_WINDOW = list("take-window.lua");

	static final RedisScript<Long> RUNNING_ADD = number("running-add.lua");

	static final RedisScript<Long> RUNNING_RENAME = number("running-rename.lua");

	static final RedisScript<String> IDEMPOTENCY_CLAIM = RedisScript.of(source("idempotency-claim.lua"), String.class);

	static final RedisScript<Long> IDEMPOTENCY_COMPLETE = number("idempotency-complete.lua");

	static final RedisScript<Long> IDEMPOTENCY_RELEASE = number("idempotency-release.lua");

	static final RedisScript<List> TRACK_READ = list("track-read.lua");

	static final RedisScript<List> TRACK_CLAIM = list("track-claim.lua");

	static final RedisScript<List> TRACK_BEAT = list("track-beat.lua");

	static final RedisScript<Long> TRACK_DONE = number("track-done.lua");

	static final RedisScript<Long> TRACK_RELEASE = number("track-release.lua");

	static final RedisScript<Long> WEBHOOK_ADD = number("webhook-add.lua");

	private RedisScripts() {
	}

	private static RedisScript<List> list(String name) {
		return RedisScript.of(source(name), List.class);
	}

	private static RedisScript<Long> number(String name) {
		return RedisScript.of(source(name), Long.class);
	}

	/**
	 * The script's text, read once: a script built on a resource checks whether the
	 * resource changed at every call, which opens the jar each time (7 % of a Redis
	 * create's CPU).
	 */
	private static String source(String name) {
		try {
			return new ClassPathResource(name, RedisScripts.class).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Redis script " + name + " not found", ex);
		}
	}

}
