package com.imagegateway.upstream;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A model as callers name it: {@code owner/name}, or {@code owner/name:version} to pin a
 * version, which the upstream creates through a different endpoint.
 */
public record ModelRef(String owner, String name, @Nullable String version) {

	/**
	 * What a caller may send in {@code model}; anchored, as the OpenAPI document's
	 * patterns must be, since JSON Schema's match anywhere in the value.
	 */
	public static final String SYNTAX = "^[A-Za-z0-9][\\w.-]*/[A-Za-z0-9][\\w.-]*(:[\\w.-]+)?$";

	private static final Pattern PATTERN = Pattern
		.compile("([A-Za-z0-9][\\w.-]*)/([A-Za-z0-9][\\w.-]*)(?::([\\w.-]+))?");

	public static ModelRef parse(String model) {
		Matcher matcher = PATTERN.matcher(model);
		if (!matcher.matches()) {
			throw new IllegalArgumentException("Not a model reference: owner/name[:version]");
		}
		return new ModelRef(matcher.group(1), matcher.group(2), matcher.group(3));
	}

	/** {@code owner/name}, the form allow-lists and metrics use. */
	public String path() {
		return this.owner + "/" + this.name;
	}

	@Override
	public String toString() {
		return (this.version != null) ? path() + ":" + this.version : path();
	}

}
