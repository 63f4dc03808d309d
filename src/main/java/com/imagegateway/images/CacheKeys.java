package com.imagegateway.images;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import com.imagegateway.upstream.ModelRef;

/**
 * A seeded request's fingerprint: SHA-256 of the canonical JSON of its model, the version
 * it pins (none: whichever the provider runs) and its whole upstream input, keys sorted
 * and numbers written one way ({@code 1.50} as {@code 1.5}, {@code 2.0} as {@code 2}), so
 * that two requests asking for the same thing get the same key however they spell it.
 * Only a request with an explicit {@code seed} has one: without, the same input makes
 * other images each time, and answering it from a cache would be wrong.
 */
final class CacheKeys {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private CacheKeys() {
	}

	/** Whether the input has an explicit seed, so that the cache may answer it. */
	static boolean seeded(Map<String, Object> input) {
		return input.get("seed") != null;
	}

	static @Nullable String of(ModelRef model, Map<String, Object> input) {
		if (!seeded(input)) {
			return null;
		}
		Map<String, Object> request = new TreeMap<>();
		request.put("model", model.path());
		request.put("version", (model.version() != null) ? model.version() : "");
		request.put("input", canonical(input));
		byte[] json = JSON.writeValueAsString(request).getBytes(StandardCharsets.UTF_8);
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static @Nullable Object canonical(@Nullable Object value) {
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> sorted = new TreeMap<>();
			map.forEach((key, inner) -> {
				if (inner != null) {
					sorted.put(String.valueOf(key), canonical(inner));
				}
			});
			return sorted;
		}
		if (value instanceof List<?> list) {
			List<Object> items = new ArrayList<>(list.size());
			list.forEach((item) -> items.add(canonical(item)));
			return items;
		}
		if (value instanceof Number number) {
			// marked, so that the number 42 and the string "42" stay apart
			return Map.of("#", new BigDecimal(number.toString()).stripTrailingZeros().toPlainString());
		}
		return value;
	}

}
