package com.imagegateway.upstream.sandbox;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A simulated prediction: everything about it follows from its id, which encodes when it
 * was created and what was asked. So any replica answers for any sandbox job, and nothing
 * about it is kept in memory.
 *
 * @param nonce random bits that make ids unguessable and unique
 */
record SandboxJob(int outputs, ImageFormat format, int aspectWidth, int aspectHeight, int seed, int promptHash,
		boolean fails, Instant createdAt, int nonce) {

	/** Prompts that contain this word fail, so callers can test their error paths. */
	static final String FAILURE_WORD = "fail";

	private static final byte ENCODING = 1;

	private static final int ENCODED_BYTES = 1 + 8 + 4 + 4 + 1 + 1 + 1 + 4;

	static SandboxJob of(String prompt, int outputs, ImageFormat format, String aspectRatio, int seed,
			Instant createdAt, int nonce) {
		String[] ratio = aspectRatio.split(":");
		int width = 1;
		int height = 1;
		if (ratio.length == 2 && ratio[0].matches("[1-9][0-9]?") && ratio[1].matches("[1-9][0-9]?")) {
			width = Integer.parseInt(ratio[0]);
			height = Integer.parseInt(ratio[1]);
		}
		return new SandboxJob(outputs, format, width, height, seed, prompt.hashCode(),
				prompt.toLowerCase(Locale.ROOT).contains(FAILURE_WORD), createdAt, nonce);
	}

	String id() {
		ByteBuffer bytes = ByteBuffer.allocate(ENCODED_BYTES)
			.put(ENCODING)
			.putLong(this.createdAt.toEpochMilli())
			.putInt(this.seed)
			.putInt(this.promptHash)
			.put((byte) ((this.outputs & 0x7) | (this.format.ordinal() << 3) | (this.fails ? 0x40 : 0)))
			.put((byte) this.aspectWidth)
			.put((byte) this.aspectHeight)
			.putInt(this.nonce);
		return HexFormat.of().formatHex(bytes.array());
	}

	/** The job an id stands for; empty for anything that is not a sandbox id. */
	static Optional<SandboxJob> fromId(String id) {
		if (id.length() != ENCODED_BYTES * 2 || !HexFormat.isHexDigit(id.charAt(0))) {
			return Optional.empty();
		}
		try {
			ByteBuffer bytes = ByteBuffer.wrap(HexFormat.of().parseHex(id));
			if (bytes.get() != ENCODING) {
				return Optional.empty();
			}
			Instant createdAt = Instant.ofEpochMilli(bytes.getLong());
			int seed = bytes.getInt();
			int promptHash = bytes.getInt();
			int flags = bytes.get();
			int width = bytes.get();
			int height = bytes.get();
			int nonce = bytes.getInt();
			int outputs = flags & 0x7;
			int format = (flags >> 3) & 0x3;
			if (outputs < 1 || outputs > 4 || format >= ImageFormat.values().length || width < 1 || height < 1) {
				return Optional.empty();
			}
			return Optional.of(new SandboxJob(outputs, ImageFormat.values()[format], width, height, seed, promptHash,
					(flags & 0x40) != 0, createdAt, nonce));
		}
		catch (IllegalArgumentException | BufferUnderflowException malformed) {
			return Optional.empty();
		}
	}

	String aspectRatio() {
		return this.aspectWidth + ":" + this.aspectHeight;
	}

	@Nullable String failure() {
		return this.fails ? "Sandbox: the prompt asked for a failure (it contains \"" + FAILURE_WORD + "\")." : null;
	}

}
