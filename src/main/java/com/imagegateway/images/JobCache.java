package com.imagegateway.images;

import org.jspecify.annotations.Nullable;

/**
 * A seeded request's place in the cache ({@link ResultCache}).
 *
 * @param key the request's fingerprint: its model and the canonical form of its whole
 * input; its result is remembered under it once its images are stored
 * @param hitOf the earlier job whose stored images answered this one; null when it was
 * created upstream
 */
public record JobCache(String key, @Nullable String hitOf) {
}
