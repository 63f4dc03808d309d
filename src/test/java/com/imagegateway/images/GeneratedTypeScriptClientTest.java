package com.imagegateway.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.imagegateway.GatewayIntegrationTest;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.util.FileSystemUtils;

import static com.imagegateway.UpstreamStub.prediction;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TypeScript service's client: generated from the committed OpenAPI document with
 * openapi-generator's {@code typescript-fetch} (the version the build uses for the Java
 * client, through its npm CLI), compiled with {@code tsc} in strict mode, and run with
 * Node against the running gateway ({@code src/test/typescript/drive.ts}). A document
 * that breaks the generated client fails here.
 */
class GeneratedTypeScriptClientTest extends GatewayIntegrationTest {

	private static final Path PROJECT = Path.of("src/test/typescript");

	private static final Path WORK = Path.of("target/typescript-client-check");

	private static final Path DOCUMENT = Path.of("src/main/resources/openapi/image-gateway.json");

	@LocalServerPort
	int port;

	@Test
	void aGeneratedTypeScriptClientCompilesCreatesWaitsReadsListsAndReadsProblemCodes() throws Exception {
		requireNode();
		UpstreamStubs.created("typescript1");
		UpstreamStubs.readsInTurn("typescript1", prediction("typescript1", "processing", null),
				prediction("typescript1", "succeeded", List.of("https://replicate.delivery/x/t1.webp")));
		prepare();

		run("npm", "ci", "--no-audit", "--no-fund");
		run("npx", "openapi-generator-cli", "generate", "-i", DOCUMENT.toAbsolutePath().toString(), "-g",
				"typescript-fetch", "-o", "client");
		run("npx", "tsc", "-p", ".");
		String seen = run("node", "dist/drive.js", "http://localhost:" + this.port, TEAM_A_KEY);

		assertThat(seen).contains(
				"{\"created\":\"typescript1\",\"status\":\"succeeded\",\"listed\":true,\"problem\":\"not_found\"}");
	}

	/**
	 * A fresh copy of the TypeScript project, pinned to the generator version the build
	 * uses.
	 */
	private static void prepare() throws IOException {
		FileSystemUtils.deleteRecursively(WORK.resolve("client"));
		FileSystemUtils.deleteRecursively(WORK.resolve("dist"));
		Files.createDirectories(WORK);
		for (String file : List.of("package.json", "package-lock.json", "tsconfig.json", "drive.ts")) {
			Files.copy(PROJECT.resolve(file), WORK.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		}
		String version = System.getProperty("openapi-generator.version");
		assertThat(version).as("openapi-generator.version, set by the build").isNotBlank();
		Files.writeString(WORK.resolve("openapitools.json"),
				"{\"spaces\": 2, \"generator-cli\": {\"version\": \"" + version + "\"}}\n");
	}

	private static String run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true).start();
		byte[] output = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(5, TimeUnit.MINUTES)).as(String.join(" ", command) + " finished").isTrue();
		String text = new String(output, StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(String.join(" ", command) + " failed:\n" + text).isZero();
		return text;
	}

	private static void requireNode() {
		try {
			new ProcessBuilder("npm", "--version").start().waitFor(1, TimeUnit.MINUTES);
		}
		catch (IOException | InterruptedException missing) {
			if ("true".equals(System.getenv("CI"))) {
				throw new IllegalStateException("CI must have Node and npm for the TypeScript client check", missing);
			}
			Assumptions.abort("Node and npm are not installed: the TypeScript client check skips");
		}
	}

}
