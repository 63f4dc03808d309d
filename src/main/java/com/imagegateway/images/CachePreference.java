package com.imagegateway.images;

import java.time.Duration;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import com.imagegateway.system.Problems;

/**
 * What a create's {@code Cache-Control} asks of the cache of seeded requests:
 * {@code max-age=N} accepts an earlier result at most N seconds old (whatever the
 * client's own {@code cache.ttl}), {@code no-cache} asks for a new prediction,
 * {@code no-store} keeps this one's result out of the cache. Other directives are
 * ignored, as HTTP says.
 *
 * @param maxAge the oldest result the request accepts; null: the client's {@code ttl}
 * @param noCache whether the request wants a new prediction whatever is cached
 * @param noStore whether its result stays out of the cache
 */
record CachePreference(@Nullable Duration maxAge, boolean noCache, boolean noStore) {

	static final CachePreference NONE = new CachePreference(null, false, false);

	/** The longest {@code max-age} that means anything: images are not kept longer. */
	private static final long MAX_AGE_SECONDS = 10L * 365 * 24 * 3600;

	static CachePreference parse(@Nullable String cacheControl) {
		if (cacheControl == null || cacheControl.isBlank()) {
			return NONE;
		}
		Duration maxAge = null;
		boolean noCache = false;
		boolean noStore = false;
		for (String part : cacheControl.split(",")) {
			String directive = part.strip().toLowerCase(Locale.ROOT);
			if (directive.equals("no-cache")) {
				noCache = true;
			}
			else if (directive.equals("no-store")) {
				noStore = true;
			}
			else if (directive.startsWith("max-age=")) {
				String seconds = directive.substring("max-age=".length());
				if (!seconds.matches("[0-9]{1,12}")) {
					throw Problems.invalidField("Cache-Control", "max-age must be a whole number of seconds");
				}
				maxAge = Duration.ofSeconds(Math.min(Long.parseLong(seconds), MAX_AGE_SECONDS));
			}
		}
		return new CachePreference(maxAge, noCache, noStore);
	}

	/** How old a cached result may be to answer; null when the cache is not asked. */
	@Nullable Duration freshness(@Nullable Duration clientTtl) {
		if (this.noCache) {
			return null;
		}
		return (this.maxAge != null) ? this.maxAge : clientTtl;
	}

}
