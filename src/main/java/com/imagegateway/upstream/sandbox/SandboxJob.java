package com.imagegateway.upstream.sandbox;

import java.time.Instant;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import com.imagegateway.upstream.ModelRef;

/** A simulated prediction: everything about it follows from when it was created. */
record SandboxJob(String id, ModelRef model, String prompt, int outputs, ImageFormat format, String aspectRatio,
		long seed, Instant createdAt, @Nullable Instant canceledAt) {

	/** Prompts that contain this word fail, so callers can test their error paths. */
	static final String FAILURE_WORD = "fail";

	boolean fails() {
		return this.prompt.toLowerCase(Locale.ROOT).contains(FAILURE_WORD);
	}

	SandboxJob canceled(Instant when) {
		return new SandboxJob(this.id, this.model, this.prompt, this.outputs, this.format, this.aspectRatio, this.seed,
				this.createdAt, when);
	}

}
