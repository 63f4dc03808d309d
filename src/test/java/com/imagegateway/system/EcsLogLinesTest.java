package com.imagegateway.system;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MarkerFactory;

import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class EcsLogLinesTest {

	private final LoggerContext context = new LoggerContext();

	private StructuredLogEncoder boots;

	private StructuredLogEncoder ours;

	@BeforeEach
	void encoders() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.application.name", "image-gateway")
			.withProperty("spring.application.version", "1.2.3")
			.withProperty("spring.application.pid", "4242");
		this.context.putObject(Environment.class.getName(), environment);
		this.boots = encoder("ecs");
		this.ours = encoder(EcsLogLines.class.getName());
	}

	@Test
	void anAccessLineIsBootsEcsLineByteForByte() {
		LoggingEvent event = event(Level.INFO, "image-gateway.access", "team-a getImage GET 200 1ms");
		event.setMDCPropertyMap(Map.of());
		event.addKeyValuePair(new org.slf4j.event.KeyValuePair("client", "team-a"));
		event.addKeyValuePair(new org.slf4j.event.KeyValuePair("status", 200));
		event.addKeyValuePair(new org.slf4j.event.KeyValuePair("traceId", "4bf92f3577b34da6a3ce929d0e0e4736"));

		String line = sameLine(event);
		assertThat(line).startsWith("{\"@timestamp\":")
			.contains("\"log\":{\"level\":\"INFO\",\"logger\":\"image-gateway.access\"}")
			.contains("\"client\":\"team-a\",\"status\":200")
			.contains("\"ecs\":{\"version\":\"8.11\"}")
			.endsWith("}\n");
	}

	@Test
	void errorsWithStackTracesMarkersAndTheMdcAreBootsEcsLinesByteForByte() {
		LoggingEvent event = event(Level.ERROR, "com.imagegateway.images.JobTracker", "tracking {} failed");
		event.setMDCPropertyMap(Map.of("job", "job-1"));
		event.setArgumentArray(new Object[] { "job-1" });
		event.setThrowableProxy(new ch.qos.logback.classic.spi.ThrowableProxy(
				new IllegalStateException("upstream said \"no\"\n", new RuntimeException("cause"))));
		event.addMarker(MarkerFactory.getMarker("ALERT"));

		assertThat(sameLine(event)).contains("\"error\":{\"type\":\"java.lang.IllegalStateException\"")
			.contains("upstream said \\\"no\\\"\\n")
			.contains("\"tags\":[\"ALERT\"]");
	}

	@Test
	void textBeyondLatin1IsEncodedAsBootEncodesIt() {
		LoggingEvent event = event(Level.WARN, "image-gateway.access", "prompt 画像 ✓ é \uD83D\uDE00");
		event.setMDCPropertyMap(Map.of());
		assertThat(sameLine(event)).contains("画像 ✓ é \uD83D\uDE00");
	}

	private String sameLine(LoggingEvent event) {
		byte[] expected = this.boots.encode(event);
		assertThat(this.ours.encode(event)).isEqualTo(expected);
		return new String(expected, StandardCharsets.UTF_8);
	}

	private LoggingEvent event(Level level, String logger, String message) {
		Logger source = this.context.getLogger(logger);
		LoggingEvent event = new LoggingEvent(Logger.class.getName(), source, level, message, null, null);
		event.setThreadName("reactor-http-epoll-1");
		return event;
	}

	private StructuredLogEncoder encoder(String format) {
		StructuredLogEncoder encoder = new StructuredLogEncoder();
		encoder.setContext(this.context);
		encoder.setFormat(format);
		encoder.setCharset(StandardCharsets.UTF_8);
		encoder.start();
		return encoder;
	}

}
