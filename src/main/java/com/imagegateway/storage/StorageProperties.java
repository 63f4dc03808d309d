package com.imagegateway.storage;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where the gateway keeps the images it generated, past the upstream's one-hour links.
 *
 * @param type {@code filesystem} (a directory; a volume shared by every replica when
 * there are several) or {@code s3} (a bucket of any S3-compatible store)
 * @param maxOutputSize the largest output stored; a larger one is reported, not stored
 * @param allowedContentTypes image types stored, as the bytes show them (not as the
 * upstream says)
 * @param signingSecret the key of signed output links; every replica must have the same
 * one. Empty: a random one per process, so links stop working at a restart (fine for one
 * replica)
 * @param signedUrlTtl how long a signed link works
 * @param retention how long images (and prompts) are kept: a sweep then removes them, and
 * the job shows {@code dataRemoved}; keep {@code gateway.store.retention}, how long the
 * job's record lives, longer
 * @param sweepInterval how often the retention sweep runs (on one replica at a time)
 * @param filesystem settings of the filesystem storage
 * @param s3 settings of the S3 storage
 */
@Validated
@ConfigurationProperties("gateway.storage")
public record StorageProperties(@NotNull @DefaultValue("filesystem") Type type,
		@NotNull @DefaultValue("25MB") DataSize maxOutputSize, @NotEmpty @DefaultValue( {
				"image/png", "image/jpeg", "image/webp", "image/gif" }) List<String> allowedContentTypes,
		@DefaultValue("") String signingSecret, @NotNull @DefaultValue("1h") Duration signedUrlTtl,
		@NotNull @DefaultValue("7d") Duration retention, @NotNull @DefaultValue("1m") Duration sweepInterval,
		@Valid @NotNull @DefaultValue Filesystem filesystem, @Valid @NotNull @DefaultValue S3 s3){

	public StorageProperties {
		if (type == Type.S3 && (s3.bucket() == null || s3.bucket().isBlank())) {
			throw new IllegalArgumentException("gateway.storage.s3.bucket is required when gateway.storage.type is s3");
		}
	}

	public enum Type {

		FILESYSTEM, S3

	}

	/**
	 * @param root the directory outputs are kept in, created when missing; by default
	 * {@code image-gateway/outputs} in the temporary directory, which suits a demo only
	 */
	public record Filesystem(@Nullable Path root) {

		public Filesystem {
			root = (root != null) ? root : Path.of(System.getProperty("java.io.tmpdir"), "image-gateway", "outputs");
		}

	}

	/**
	 * Credentials come from the AWS SDK's default chain (environment, web identity on
	 * Kubernetes, instance profile), never from here.
	 *
	 * @param bucket the bucket outputs are kept in; required for {@code s3}
	 * @param prefix prepended to every object's key, for a bucket shared with others
	 * @param region the bucket's region; empty: the SDK's default chain
	 * @param endpoint another S3-compatible store than AWS (MinIO, Ceph, s3proxy); empty:
	 * AWS
	 * @param pathStyle addresses the bucket in the path rather than the host name, as
	 * most S3-compatible stores need
	 * @param stagingDirectory where downloads are written before they are uploaded; by
	 * default {@code image-gateway/staging} in the temporary directory
	 */
	public record S3(@Nullable String bucket, @DefaultValue("") String prefix, @Nullable String region,
			@Nullable URI endpoint, @DefaultValue("false") boolean pathStyle, @Nullable Path stagingDirectory) {

		public S3 {
			stagingDirectory = (stagingDirectory != null) ? stagingDirectory
					: Path.of(System.getProperty("java.io.tmpdir"), "image-gateway", "staging");
		}

	}

	@Override
	public String toString() {
		// the signing secret is a secret
		return "StorageProperties[type=" + this.type + ", maxOutputSize=" + this.maxOutputSize + "]";
	}

}
