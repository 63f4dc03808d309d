package com.imagegateway.upstream.sandbox;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes an opaque image as a lossless WebP (VP8L) file. The JDK has no WebP writer; the
 * sandbox needs real, decodable files, not speed or size, so every colour channel uses a
 * flat 8-bit prefix code and no transforms, back-references or colour cache.
 */
final class LosslessWebpEncoder {

	private static final int SIGNATURE = 0x2f;

	/**
	 * Order in which the code-length code's lengths are written (VP8L spec, 3.7.2.1.2).
	 */
	private static final int[] CODE_LENGTH_ORDER = { 17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8 };

	private static final int GREEN_ALPHABET = 256 + 24;

	private static final int CHANNEL_ALPHABET = 256;

	private LosslessWebpEncoder() {
	}

	static byte[] encode(BufferedImage image) {
		int width = image.getWidth();
		int height = image.getHeight();
		BitWriter bits = new BitWriter();
		bits.write(SIGNATURE, 8);
		bits.write(width - 1, 14);
		bits.write(height - 1, 14);
		bits.write(0, 1); // alpha unused
		bits.write(0, 3); // version
		bits.write(0, 1); // no transform
		bits.write(0, 1); // no colour cache
		bits.write(0, 1); // one prefix code group for the whole image
		writeFlatCode(bits, GREEN_ALPHABET);
		writeFlatCode(bits, CHANNEL_ALPHABET); // red
		writeFlatCode(bits, CHANNEL_ALPHABET); // blue
		writeSingleSymbolCode(bits, 255, 8); // alpha: always opaque, costs no bits per
												// pixel
		writeSingleSymbolCode(bits, 0, 1); // distance: never used
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				int rgb = image.getRGB(x, y);
				bits.writeCode((rgb >> 8) & 0xff, 8);
				bits.writeCode((rgb >> 16) & 0xff, 8);
				bits.writeCode(rgb & 0xff, 8);
			}
		}
		return riff(bits.toByteArray());
	}

	/**
	 * Symbols 0-255 get 8-bit codes (so a symbol's code is its value), any others none.
	 */
	private static void writeFlatCode(BitWriter bits, int alphabetSize) {
		bits.write(0, 1); // normal code
		bits.write(CODE_LENGTH_ORDER.length - 4, 4);
		for (int symbol : CODE_LENGTH_ORDER) {
			bits.write((symbol == 0 || symbol == 8) ? 1 : 0, 3);
		}
		bits.write(0, 1); // lengths for the whole alphabet follow
		for (int symbol = 0; symbol < alphabetSize; symbol++) {
			bits.writeCode((symbol < 256) ? 1 : 0, 1); // code-length code: 0 -> "0", 1 ->
														// "8"
		}
	}

	private static void writeSingleSymbolCode(BitWriter bits, int symbol, int symbolBits) {
		bits.write(1, 1); // simple code
		bits.write(0, 1); // one symbol
		bits.write((symbolBits == 8) ? 1 : 0, 1);
		bits.write(symbol, symbolBits);
	}

	private static byte[] riff(byte[] vp8l) {
		int padding = vp8l.length & 1;
		ByteArrayOutputStream out = new ByteArrayOutputStream(vp8l.length + 21);
		out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
		littleEndian(out, 4 + 8 + vp8l.length + padding);
		out.writeBytes("WEBPVP8L".getBytes(StandardCharsets.US_ASCII));
		littleEndian(out, vp8l.length);
		out.writeBytes(vp8l);
		if (padding == 1) {
			out.write(0);
		}
		return out.toByteArray();
	}

	private static void littleEndian(ByteArrayOutputStream out, int value) {
		for (int i = 0; i < 4; i++) {
			out.write((value >>> (8 * i)) & 0xff);
		}
	}

	/**
	 * VP8L packs values least significant bit first; prefix codes go most significant bit
	 * first.
	 */
	private static final class BitWriter {

		private final ByteArrayOutputStream out = new ByteArrayOutputStream();

		private long pending;

		private int pendingBits;

		void write(int value, int count) {
			this.pending |= (value & ((1L << count) - 1)) << this.pendingBits;
			this.pendingBits += count;
			while (this.pendingBits >= 8) {
				this.out.write((int) (this.pending & 0xff));
				this.pending >>>= 8;
				this.pendingBits -= 8;
			}
		}

		void writeCode(int code, int length) {
			write(Integer.reverse(code) >>> (32 - length), length);
		}

		byte[] toByteArray() {
			if (this.pendingBits > 0) {
				this.out.write((int) (this.pending & 0xff));
				this.pending = 0;
				this.pendingBits = 0;
			}
			return this.out.toByteArray();
		}

	}

}
