package com.imagegateway;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The package layout holds: features depend one way, and stores implement the ports of the features. */
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

	@ArchTest
	static final ArchRule theMemoryAndRedisStoresDoNotKnowEachOther = noClasses().that()
		.resideInAPackage("com.imagegateway.store.memory..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("com.imagegateway.store.redis..");

}
