package com.imagegateway;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The package layout holds: no cycles; the features depend one way (webhooks and outputs
 * on the jobs' ports, never the reverse; the work queue on no feature); the stores
 * implement the ports the features own and know no other store.
 */
@AnalyzeClasses(packages = "com.imagegateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

	@ArchTest
	static final ArchRule noPackageDependsOnItselfThroughAnother = slices().matching("com.imagegateway.(**)")
		.should()
		.beFreeOfCycles();

	@ArchTest
	static final ArchRule featuresKnowNoStoreImplementation = noClasses().that()
		.resideOutsideOfPackage("com.imagegateway.store..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("com.imagegateway.store.memory..", "com.imagegateway.store.redis..");

	/**
	 * The work queue serves the job tracker and the webhook deliveries alike, and knows
	 * neither.
	 */
	@ArchTest
	static final ArchRule theWorkQueueKnowsNoFeature = noClasses().that()
		.resideInAPackage("com.imagegateway.queue..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("com.imagegateway.images..", "com.imagegateway.webhooks..", "com.imagegateway.outputs..",
				"com.imagegateway.store..");

	/**
	 * Webhooks, outputs and stores implement ports of the jobs ({@code JobWebhooks},
	 * {@code JobOutputs}, {@code SignedOutputLinks}, {@code JobStore}, ...): the jobs
	 * never call them, nor read their settings, directly.
	 */
	@ArchTest
	static final ArchRule theJobsKnowNeitherTheWebhooksNorTheOutputsNorTheStores = noClasses().that()
		.resideInAPackage("com.imagegateway.images..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("com.imagegateway.webhooks..", "com.imagegateway.outputs..", "com.imagegateway.store..");

	/**
	 * Outputs and webhooks are siblings: each depends on the jobs, neither on the other.
	 */
	@ArchTest
	static final ArchRule theOutputsAndTheWebhooksDoNotKnowEachOther = noClasses().that()
		.resideInAPackage("com.imagegateway.outputs..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("com.imagegateway.webhooks..");

	/**
	 * A port belongs to the feature that calls it: the stores implement those, never
	 * ports of their own.
	 */
	@ArchTest
	static final ArchRule storesOnlyImplementThePortsOfTheirUsers = classes().that()
		.resideInAnyPackage("com.imagegateway.store.memory..", "com.imagegateway.store.redis..")
		.should(new ArchCondition<JavaClass>("implement only interfaces that the features own") {

			@Override
			public void check(JavaClass store, ConditionEvents events) {
				store.getAllRawInterfaces()
					.stream()
					.filter((port) -> port.getPackageName().startsWith("com.imagegateway.store"))
					.forEach((port) -> events.add(SimpleConditionEvent.violated(store,
							store.getName() + " implements " + port.getName() + ", which no feature owns")));
			}

		});

	/**
	 * OpenAI's API is a way in on top of the jobs, their outputs and their spend: none of
	 * them knows it (its error shape reaches the problem handler through
	 * {@code system.ErrorFormat}).
	 */
	@ArchTest
	static final ArchRule nothingKnowsTheOpenAiApiBuiltOnTop = noClasses().that()
		.resideOutsideOfPackage("com.imagegateway.openai..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("com.imagegateway.openai..");

	@ArchTest
	static final ArchRule theMemoryAndRedisStoresDoNotKnowEachOther = noClasses().that()
		.resideInAPackage("com.imagegateway.store.memory..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("com.imagegateway.store.redis..");

}
