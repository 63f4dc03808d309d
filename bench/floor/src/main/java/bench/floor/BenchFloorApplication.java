package bench.floor;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The floor under the image gateway's hot paths: what the upstream work they cause costs on the
 * gateway's own stack (Boot 4.1, WebFlux, a {@link WebClient}) with nothing else: no store,
 * metrics, traces, access log, resilience or JSON binding. A create makes the two upstream calls
 * every gateway create makes (the create, and the read that learns how the job ended, which the
 * gateway makes later, in the background); a read answers bytes it holds, as the gateway answers
 * a job it has stored.
 */
@SpringBootApplication
@RestController
public class BenchFloorApplication {

	private static final Pattern ID = Pattern.compile("\"id\":\\s*\"([0-9a-z]+)\"");

	private static final byte[] JOB = """
			{"id":"finbenchjob","model":"black-forest-labs/flux-schnell","version":"dp-4d0bcc010b3049749a251855f12800be",\
			"status":"succeeded","prompt":"bench","images":[{"url":"https://replicate.delivery/xezq/\
			RoEhEdyl8PoIGFFPg46TU4Svj24i1NDVYmzehJfqLuX9nTFUA/out-0.jpg","stored":false,"contentType":null,"bytes":null,\
			"expiresAt":"2025-01-15T11:03:41.142386377Z","signedUrl":null,"notStoredReason":"lost"}],"error":null,\
			"errorCode":null,"createdAt":"2026-12-05T00:18:20Z","startedAt":"2025-01-15T10:03:40.584470194Z",\
			"completedAt":"2025-01-15T10:03:41.142386377Z","predictTimeSeconds":0.557916184,"dataRemoved":false}"""
		.getBytes(StandardCharsets.UTF_8);

	private final WebClient upstream;

	private final String callerAuthorization;

	BenchFloorApplication(WebClient.Builder builder, @Value("${stub}") String stub, @Value("${upstream-key}") String upstreamKey,
			@Value("${caller-key}") String callerKey) {
		this.upstream = builder.baseUrl(stub + "/replicate/v1")
			.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + upstreamKey)
			.build();
		this.callerAuthorization = "Bearer " + callerKey;
	}

	@PostMapping("/images")
	Mono<ResponseEntity<String>> create(@RequestHeader(HttpHeaders.AUTHORIZATION) String authorization,
			@RequestBody String body) {
		if (!this.callerAuthorization.equals(authorization)) {
			return Mono.just(ResponseEntity.status(HttpStatus.UNAUTHORIZED).build());
		}
		return this.upstream.post()
			.uri("/models/black-forest-labs/flux-schnell/predictions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.retrieve()
			.bodyToMono(String.class)
			.flatMap((created) -> readUpstream(created).thenReturn(created))
			.map((created) -> ResponseEntity.status(HttpStatus.CREATED).contentType(MediaType.APPLICATION_JSON).body(created));
	}

	private Mono<String> readUpstream(String created) {
		Matcher id = ID.matcher(created);
		if (!id.find()) {
			return Mono.error(new IllegalStateException("no id in " + created));
		}
		return this.upstream.get().uri("/predictions/{id}", id.group(1)).retrieve().bodyToMono(String.class);
	}

	@GetMapping("/images/{id}")
	ResponseEntity<byte[]> read(@RequestHeader(HttpHeaders.AUTHORIZATION) String authorization, @PathVariable String id) {
		if (!this.callerAuthorization.equals(authorization)) {
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
		}
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(JOB);
	}

	public static void main(String[] args) {
		SpringApplication.run(BenchFloorApplication.class, args);
	}

}
