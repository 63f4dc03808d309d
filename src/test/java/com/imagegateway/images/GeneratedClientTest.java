package com.imagegateway.images;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.imagegateway.GatewayIntegrationTest;
import com.imagegateway.contract.client.ApiClient;
import com.imagegateway.contract.client.ApiException;
import com.imagegateway.contract.client.api.ImagesApi;
import com.imagegateway.contract.client.model.CreateImageRequest;
import com.imagegateway.contract.client.model.ImageJob;
import com.imagegateway.contract.client.model.ImageJobPage;
import com.imagegateway.contract.client.model.JobStatus;

import org.springframework.boot.test.web.server.LocalServerPort;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.imagegateway.UpstreamStub.API;
import static com.imagegateway.UpstreamStub.SERVER;
import static com.imagegateway.UpstreamStub.json;
import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A Java client generated at build time from the committed OpenAPI document
 * ({@code openapi-generator-maven-plugin}) drives the running gateway, as internal
 * callers do.
 */
class GeneratedClientTest extends GatewayIntegrationTest {

	@LocalServerPort
	int port;

	@Test
	void aGeneratedClientCreatesWaitsForAndReadsAJob() throws ApiException {
		UpstreamStubs.created("generated1");
		UpstreamStubs.readsInTurn("generated1", prediction("generated1", "processing", null),
				prediction("generated1", "succeeded", List.of("https://replicate.delivery/x/g1.webp")));
		ImagesApi images = new ImagesApi(client(TEAM_A_KEY));

		ImageJob created = images.createImage(new CreateImageRequest().model("black-forest-labs/flux-schnell")
			.prompt("a red bicycle")
			.aspectRatio("16:9")
			.numOutputs(1)
			.outputFormat(CreateImageRequest.OutputFormatEnum.WEBP)
			.seed(42L)
			.input(Map.of("go_fast", true)), "wait=10", "generated-client-1", null);

		assertThat(created.getId()).isEqualTo("generated1");
		assertThat(created.getStatus()).isEqualTo(JobStatus.SUCCEEDED);
		assertThat(created.getImages()).singleElement()
			.satisfies((image) -> assertThat(image.getUrl()).isEqualTo("https://replicate.delivery/x/g1.webp"));
		SERVER.verify(1, postRequestedFor(urlEqualTo(API + "/models/black-forest-labs/flux-schnell/predictions"))
			.withRequestBody(equalToJson("""
					{"input": {"prompt": "a red bicycle", "aspect_ratio": "16:9", "num_outputs": 1,
					 "output_format": "webp", "seed": 42, "go_fast": true}}""")));

		ImageJob read = images.getImage("generated1");
		assertThat(read.getStatus()).isEqualTo(JobStatus.SUCCEEDED);
		assertThat(read.getCompletedAt()).isNotNull();

		ImageJobPage page = images.listImages(10, null, JobStatus.SUCCEEDED);
		assertThat(page.getItems()).extracting(ImageJob::getId).contains("generated1");
	}

	@Test
	void aGeneratedClientReadsProblemsAsTypedErrors() {
		ImagesApi images = new ImagesApi(client(TEAM_A_KEY));

		ApiException notFound = catchThrowableOfType(ApiException.class, () -> images.getImage("does-not-exist"));

		assertThat(notFound.getCode()).isEqualTo(404);
		assertThat(notFound.getResponseHeaders().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(json(notFound.getResponseBody()).path("code").asString()).isEqualTo("not_found");
	}

	private ApiClient client(String key) {
		ApiClient client = new ApiClient();
		client.updateBaseUri("http://localhost:" + this.port);
		client.setRequestInterceptor((request) -> request.header("Authorization", "Bearer " + key));
		return client;
	}

}
