package com.imagegateway.upstream.sandbox;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

import javax.imageio.ImageIO;

/**
 * One sandbox output: a picture drawn from the job's seed, prompt and output index, so
 * the same request gives the same image, in the requested format and aspect ratio.
 */
record SandboxImage(SandboxJob job, int index, int longSide) {

	ImageFormat format() {
		return this.job.format();
	}

	/** Encodes the image; CPU work, so callers run it off the event loop. */
	byte[] encode() {
		BufferedImage image = draw();
		return switch (this.job.format()) {
			case WEBP -> LosslessWebpEncoder.encode(image);
			case PNG -> imageIo(image, "png");
			case JPG -> imageIo(image, "jpg");
		};
	}

	private BufferedImage draw() {
		int[] size = size();
		BufferedImage image = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
		Random random = new Random(this.job.seed() * 31 + this.job.promptHash() * 17L + this.index);
		Graphics2D graphics = image.createGraphics();
		try {
			graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			graphics.setPaint(new GradientPaint(0, 0, color(random), size[0], size[1], color(random)));
			graphics.fillRect(0, 0, size[0], size[1]);
			for (int i = 0; i < 6; i++) {
				graphics.setColor(color(random));
				int diameter = 16 + random.nextInt(Math.max(1, Math.min(size[0], size[1]) / 2));
				graphics.fillOval(random.nextInt(size[0]), random.nextInt(size[1]), diameter, diameter);
			}
		}
		finally {
			graphics.dispose();
		}
		return image;
	}

	private int[] size() {
		String[] ratio = this.job.aspectRatio().split(":");
		double width = 1;
		double height = 1;
		try {
			width = Double.parseDouble(ratio[0]);
			height = Double.parseDouble(ratio[1]);
		}
		catch (RuntimeException notARatio) {
			// the upstream would reject such a ratio; the sandbox draws a square
		}
		if (width <= 0 || height <= 0) {
			width = 1;
			height = 1;
		}
		double scale = this.longSide / Math.max(width, height);
		return new int[] { Math.max(1, (int) Math.round(width * scale)),
				Math.max(1, (int) Math.round(height * scale)) };
	}

	private static Color color(Random random) {
		return Color.getHSBColor(random.nextFloat(), 0.55f + random.nextFloat() * 0.4f,
				0.6f + random.nextFloat() * 0.4f);
	}

	private static byte[] imageIo(BufferedImage image, String format) {
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			if (!ImageIO.write(image, format, out)) {
				throw new IllegalStateException("No ImageIO writer for " + format);
			}
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
