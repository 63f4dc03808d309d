package com.imagegateway.system;

import java.nio.charset.Charset;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.logging.StackTracePrinter;
import org.springframework.boot.logging.structured.ContextPairs;
import org.springframework.boot.logging.structured.StructuredLogFormatter;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;
import org.springframework.boot.util.Instantiator;
import org.springframework.core.env.Environment;

/**
 * Spring Boot's own ECS lines, turned into bytes in one go. Boot 4.1's formatter hands
 * the console encoder its line one character at a time through a {@code CharsetEncoder}
 * ({@code AppendableByteArray}): with an access line per request that was 11 % of a
 * finished read's CPU, on the event loop. Its {@code String} form is written to a
 * {@code StringBuilder}; encoding that once is a bulk copy. Selected by
 * {@code logging.structured.format.console}; {@code EcsLogLinesTest} holds the lines to
 * Boot's byte for byte.
 */
public final class EcsLogLines implements StructuredLogFormatter<ILoggingEvent> {

	// package-private in Boot; the public Instantiator is how Boot itself builds
	// formatters by name
	private static final String BOOT_ECS_FORMATTER = "org.springframework.boot.logging.logback.ElasticCommonSchemaStructuredLogFormatter";

	private final StructuredLogFormatter<ILoggingEvent> ecs;

	public EcsLogLines(Environment environment, @Nullable StackTracePrinter stackTracePrinter,
			ContextPairs contextPairs, ThrowableProxyConverter throwableProxyConverter,
			StructuredLoggingJsonMembersCustomizer.Builder<?> customizerBuilder) {
		this.ecs = new Instantiator<StructuredLogFormatter<ILoggingEvent>>(StructuredLogFormatter.class,
				(parameters) -> {
					parameters.add(Environment.class, environment);
					parameters.add(StackTracePrinter.class, stackTracePrinter);
					parameters.add(ContextPairs.class, contextPairs);
					parameters.add(ThrowableProxyConverter.class, throwableProxyConverter);
					parameters.add(StructuredLoggingJsonMembersCustomizer.Builder.class, customizerBuilder);
				})
			.instantiate(EcsLogLines.class.getClassLoader(), BOOT_ECS_FORMATTER);
	}

	@Override
	public String format(ILoggingEvent event) {
		return this.ecs.format(event);
	}

	@Override
	public byte[] formatAsBytes(ILoggingEvent event, Charset charset) {
		return this.ecs.format(event).getBytes(charset);
	}

}
