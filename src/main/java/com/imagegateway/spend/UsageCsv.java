package com.imagegateway.spend;

/**
 * A report's groups as CSV (RFC 4180): a header, then one row per group, amounts with six
 * decimal places.
 */
final class UsageCsv {

	static final String HEADER = "key,jobs,images,predictSeconds,cost,unpricedJobs\r\n";

	private UsageCsv() {
	}

	static String of(UsageReport report) {
		StringBuilder csv = new StringBuilder(HEADER);
		for (UsageReport.Group group : report.groups()) {
			csv.append(field(group.key()))
				.append(',')
				.append(group.jobs())
				.append(',')
				.append(group.images())
				.append(',')
				.append(group.predictSeconds().toPlainString())
				.append(',')
				.append(group.cost().toPlainString())
				.append(',')
				.append(group.unpricedJobs())
				.append("\r\n");
		}
		return csv.toString();
	}

	private static String field(String value) {
		if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
			return value;
		}
		return '"' + value.replace("\"", "\"\"") + '"';
	}

}
