package com.imagegateway.openai;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import com.imagegateway.clients.GatewayClient;
import com.imagegateway.system.FieldProblem;
import com.imagegateway.system.GatewayException;
import com.imagegateway.upstream.ModelRef;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The model names OpenAI callers use: an alias from {@code gateway.openai.models}, or an
 * {@code owner/name[:version]} as on {@code /images}. A client sees, and may use, only
 * the models its allow-list admits.
 */
@Component
class ModelAliases {

	private final Map<String, ModelRef> aliases = new LinkedHashMap<>();

	private final String defaultModel;

	private final OpenAiProperties properties;

	ModelAliases(OpenAiProperties properties) {
		properties.models().forEach((alias, model) -> this.aliases.put(alias, ModelRef.parse(model)));
		this.defaultModel = properties.defaultModel();
		this.properties = properties;
		if (!this.aliases.containsKey(this.defaultModel) && !this.defaultModel.matches(ModelRef.SYNTAX)) {
			throw new IllegalStateException("gateway.openai.default-model '" + this.defaultModel
					+ "' is neither an alias in gateway.openai.models nor owner/name[:version]");
		}
	}

	/** The model a request names, or the default one. */
	ModelRef resolve(@Nullable String requested) {
		String name = (requested != null) ? requested : this.defaultModel;
		return find(name).orElseThrow(() -> new GatewayException(HttpStatus.NOT_FOUND, "model_not_found",
				"Model not found", "The model '" + name + "' does not exist.",
				java.util.List.of(new FieldProblem("model", "does not exist")), null));
	}

	Optional<ModelRef> find(String name) {
		ModelRef aliased = this.aliases.get(name);
		if (aliased != null) {
			return Optional.of(aliased);
		}
		return name.matches(ModelRef.SYNTAX) ? Optional.of(ModelRef.parse(name)) : Optional.empty();
	}

	/**
	 * The names a client may use: the aliases of models it may use, then its allow-list.
	 */
	Map<String, ModelRef> visibleTo(GatewayClient client) {
		Map<String, ModelRef> visible = new LinkedHashMap<>();
		this.aliases.forEach((alias, model) -> {
			if (client.mayUse(model)) {
				visible.put(alias, model);
			}
		});
		for (String model : client.models()) {
			visible.putIfAbsent(model, ModelRef.parse(model));
		}
		find(this.defaultModel).filter(client::mayUse)
			.ifPresent((model) -> visible.putIfAbsent(this.defaultModel, model));
		return visible;
	}

	/** What the model takes. */
	OpenAiProperties.ModelInputs inputs(ModelRef model) {
		return this.properties.inputs().getOrDefault(model.path(), this.properties.defaultInputs());
	}

}
