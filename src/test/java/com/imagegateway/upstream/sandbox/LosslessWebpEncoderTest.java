package com.imagegateway.upstream.sandbox;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class LosslessWebpEncoderTest {

	@ParameterizedTest(name = "{0}x{1}")
	@CsvSource({ "1, 1", "3, 5", "256, 144", "17, 300" })
	void encodesEveryPixelExactlyAsAStandardDecoderReadsIt(int width, int height) throws IOException {
		BufferedImage original = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Random random = new Random(width * 31L + height);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				original.setRGB(x, y, random.nextInt(1 << 24));
			}
		}

		byte[] webp = LosslessWebpEncoder.encode(original);
		BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(webp));

		assertThat(new String(webp, 0, 4)).isEqualTo("RIFF");
		assertThat(new String(webp, 8, 8)).isEqualTo("WEBPVP8L");
		assertThat(decoded.getWidth()).isEqualTo(width);
		assertThat(decoded.getHeight()).isEqualTo(height);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				assertThat(decoded.getRGB(x, y) & 0xffffff).as("pixel %d,%d", x, y)
					.isEqualTo(original.getRGB(x, y) & 0xffffff);
			}
		}
	}

}
