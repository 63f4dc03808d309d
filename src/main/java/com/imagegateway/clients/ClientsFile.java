package com.imagegateway.clients;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PlaceholdersResolver;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.validation.FieldError;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * The clients of {@code gateway.clients-file}: one YAML file or several (a ConfigMap's
 * and a Secret's, say), each a map from client name to what {@code gateway.clients}
 * holds, merged (a later file's setting wins) and bound and validated the way
 * {@code gateway.clients} is, {@code ${...}} placeholders resolved from the environment.
 * A file that cannot be used is refused with a reason that names the file, line or
 * property, never a value: the files hold key hashes and webhook secrets.
 */
final class ClientsFile {

	private static final Bindable<Map<String, ClientsProperties.Client>> CLIENTS = Bindable.mapOf(String.class,
			ClientsProperties.Client.class);

	private final List<Path> paths;

	private final SpringValidatorAdapter validator;

	private final @Nullable PlaceholdersResolver placeholders;

	/**
	 * @param placeholders resolves {@code ${...}} in the files (a webhook secret from an
	 * environment variable, say); null: none are
	 */
	ClientsFile(List<Path> paths, jakarta.validation.Validator validator, @Nullable PlaceholdersResolver placeholders) {
		this.paths = List.copyOf(paths);
		this.validator = new SpringValidatorAdapter(validator);
		this.placeholders = placeholders;
	}

	/** What was last read: the digest of the contents, or why they could not be read. */
	private volatile String lastSeen = "";

	boolean configured() {
		return !this.paths.isEmpty();
	}

	/**
	 * The clients the files configure now.
	 * @throws Invalid naming what is wrong, never a value
	 */
	Map<String, ClientsProperties.Client> load() {
		if (!configured()) {
			return Map.of();
		}
		Contents contents = read();
		this.lastSeen = contents.version();
		return clients(contents);
	}

	/**
	 * The clients the files configure, if they changed since last read; the same failure
	 * is told once.
	 * @throws Invalid naming what is wrong, never a value
	 */
	Optional<Map<String, ClientsProperties.Client>> reloadIfChanged() {
		Contents contents;
		try {
			contents = read();
		}
		catch (Invalid unreadable) {
			String seen = "unreadable " + unreadable.getMessage();
			if (seen.equals(this.lastSeen)) {
				return Optional.empty();
			}
			this.lastSeen = seen;
			throw unreadable;
		}
		String version = contents.version();
		if (version.equals(this.lastSeen)) {
			return Optional.empty();
		}
		this.lastSeen = version;
		return Optional.of(clients(contents));
	}

	List<Path> paths() {
		return this.paths;
	}

	/**
	 * The files' bytes as they are now, read through any symbolic link (a mounted
	 * ConfigMap's {@code ..data} swap among them).
	 */
	private Contents read() {
		List<byte[]> files = new ArrayList<>();
		for (Path path : this.paths) {
			try {
				files.add(Files.readAllBytes(path));
			}
			catch (NoSuchFileException missing) {
				throw new Invalid(path + " does not exist");
			}
			catch (IOException unreadable) {
				throw new Invalid(path + " cannot be read (" + unreadable.getClass().getSimpleName() + ")");
			}
		}
		return new Contents(files);
	}

	private Map<String, ClientsProperties.Client> clients(Contents contents) {
		List<ConfigurationPropertySource> sources = new ArrayList<>();
		for (int i = 0; i < this.paths.size(); i++) {
			// the binder's first source wins: the last file first
			sources.addFirst(source(this.paths.get(i), contents.files().get(i)));
		}
		try {
			return new Binder(sources, this.placeholders)
				.bind("clients", CLIENTS, new ValidationBindHandler(this.validator))
				.orElseGet(Map::of);
		}
		catch (BindException failure) {
			if (failure.getCause() instanceof BindValidationException invalid) {
				throw new Invalid(invalid.getValidationErrors()
					.getAllErrors()
					.stream()
					.map((error) -> error.getObjectName()
							+ ((error instanceof FieldError field) ? "." + field.getField() : "") + " "
							+ error.getDefaultMessage())
					.collect(Collectors.joining("; ")));
			}
			throw new Invalid(failure.getName() + " cannot be bound: a value of the wrong type or shape");
		}
	}

	private static ConfigurationPropertySource source(Path path, byte[] file) {
		List<PropertySource<?>> documents;
		try {
			documents = new YamlPropertySourceLoader().load(path.toString(), new ByteArrayResource(file));
		}
		catch (MarkedYAMLException malformed) {
			// its message quotes the line, which may hold a secret
			Mark mark = malformed.getProblemMark();
			throw new Invalid(path + " is not valid YAML"
					+ ((mark != null) ? " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) : "")
					+ ": " + malformed.getProblem());
		}
		catch (IOException | RuntimeException unreadable) {
			throw new Invalid(path + " is not valid YAML (" + unreadable.getClass().getSimpleName() + ")");
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		for (PropertySource<?> document : documents) {
			if (document instanceof EnumerablePropertySource<?> enumerable) {
				for (String name : enumerable.getPropertyNames()) {
					if (name == null || name.isEmpty()) {
						continue; // an empty document, {}: no clients
					}
					properties.putIfAbsent("clients." + name, enumerable.getProperty(name));
				}
			}
		}
		return new MapConfigurationPropertySource(properties);
	}

	/**
	 * @param files each file's bytes, in the order of the paths
	 */
	private record Contents(List<byte[]> files) {

		/** A digest of every file, to tell a change from the same contents read again. */
		String version() {
			try {
				MessageDigest digest = MessageDigest.getInstance("SHA-256");
				this.files.forEach((file) -> {
					digest.update(Integer.toString(file.length).getBytes(StandardCharsets.US_ASCII));
					digest.update(file);
				});
				return HexFormat.of().formatHex(digest.digest());
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	/** Clients files that cannot be used; the message is safe to log. */
	static final class Invalid extends IllegalStateException {

		Invalid(String reason) {
			super(reason);
		}

	}

}
