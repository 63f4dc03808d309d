package com.imagegateway.storage;

import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The output storage {@code gateway.storage.type} names. */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

	@Bean
	@ConditionalOnProperty(name = "gateway.storage.type", havingValue = "filesystem", matchIfMissing = true)
	OutputStorage filesystemOutputStorage(StorageProperties properties) {
		return new FilesystemOutputStorage(properties.filesystem().root());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "gateway.storage.type", havingValue = "s3")
	static class S3StorageConfiguration {

		/**
		 * Credentials from the SDK's default chain; the client is closed with the
		 * context.
		 */
		@Bean(destroyMethod = "close")
		S3AsyncClient outputsS3Client(StorageProperties properties) {
			StorageProperties.S3 s3 = properties.s3();
			S3AsyncClientBuilder builder = S3AsyncClient.builder()
				.httpClientBuilder(NettyNioAsyncHttpClient.builder())
				.forcePathStyle(s3.pathStyle());
			if (s3.region() != null && !s3.region().isBlank()) {
				builder.region(Region.of(s3.region()));
			}
			if (s3.endpoint() != null) {
				builder.endpointOverride(s3.endpoint())
					// the SDK's default trailing checksums (aws-chunked bodies) are AWS's
					// own; other stores
					// refuse them or check them wrongly, and the gateway keeps each
					// output's SHA-256 itself
					.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
					.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
				if (s3.region() == null || s3.region().isBlank()) {
					// most S3-compatible stores ignore the region, but a request must be
					// signed for one
					builder.region(Region.US_EAST_1);
				}
			}
			return builder.build();
		}

		@Bean
		OutputStorage s3OutputStorage(S3AsyncClient outputsS3Client, StorageProperties properties) {
			return new S3OutputStorage(outputsS3Client, properties.s3());
		}

	}

}
