package com.imagegateway.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects, read well enough for the expressions of
 * the chart's dashboard and rules: string literals, label matchers, ranges and grouping
 * clauses are taken out, then every name that is not a function, keyword or number is a
 * metric.
 */
final class PromQl {

	private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");

	private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");

	private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");

	private static final Pattern GROUPING = Pattern
		.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

	private static final Pattern NAMES = Pattern.compile("(?<![\\w:.])([a-zA-Z_:][\\w:]*+)(?!\\s*\\()");

	private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
			"and", "or", "unless", "bool", "offset", "inf", "nan", "Inf", "NaN");

	private PromQl() {
	}

	static Set<String> metricNames(String expression) {
		String bare = STRINGS.matcher(expression).replaceAll("\"\"");
		bare = MATCHERS.matcher(bare).replaceAll(" ");
		bare = RANGES.matcher(bare).replaceAll(" ");
		bare = GROUPING.matcher(bare).replaceAll(" ");
		// durations after offset (5m) and numbers are no names
		bare = bare.replaceAll("\\b\\d+(\\.\\d+)?([a-z]+)?\\b", " ");
		Set<String> names = new TreeSet<>();
		Matcher matcher = NAMES.matcher(bare);
		while (matcher.find()) {
			if (!KEYWORDS.contains(matcher.group(1))) {
				names.add(matcher.group(1));
			}
		}
		return names;
	}

}
