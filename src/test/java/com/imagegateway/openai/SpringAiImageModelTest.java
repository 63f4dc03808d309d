package com.imagegateway.openai;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import com.imagegateway.GatewayIntegrationTest;

import org.springframework.ai.image.ImagePrompt;
import org.springframework.ai.image.ImageResponse;
import org.springframework.ai.openai.OpenAiImageModel;
import org.springframework.ai.openai.OpenAiImageOptions;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Spring AI's {@code OpenAiImageModel}, configured with the gateway's base URL and a
 * client's key only, generates an image through the gateway: a sandbox client's real
 * image, of the asked shape, in an {@code ImageResponse}.
 */
class SpringAiImageModelTest extends GatewayIntegrationTest {

	@LocalServerPort
	private int port;

	@Test
	void springAisImageModelGetsTheImageThroughImageResponse() throws IOException {
		OpenAiImageOptions options = (OpenAiImageOptions) OpenAiImageOptions.builder()
			.n(1)
			.width(1536)
			.height(1024)
			.responseFormat("b64_json")
			.model("flux-schnell")
			.apiKey(SANDBOX_KEY)
			.baseUrl("http://localhost:" + this.port + "/v1")
			.build();
		OpenAiImageModel model = new OpenAiImageModel(options);

		ImageResponse response = model.call(new ImagePrompt("a lighthouse at dawn"));

		assertThat(response.getResults()).hasSize(1);
		BufferedImage image = ImageIO
			.read(new ByteArrayInputStream(Base64.getDecoder().decode(response.getResult().getOutput().getB64Json())));
		assertThat(image).isNotNull();
		assertThat(image.getWidth() / (double) image.getHeight()).isCloseTo(1.5, within(0.01));
	}

}
