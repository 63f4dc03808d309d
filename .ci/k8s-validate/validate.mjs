// Validates rendered Kubernetes manifests (multi-document YAML files) against the API schemas
// shipped by kubernetes-models (and the Prometheus Operator's for ServiceMonitor).
//   node validate.mjs rendered.yaml [more.yaml ...]
import { readFileSync } from "node:fs";
import yaml from "js-yaml";

const modules = {
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
};

function moduleFor(apiVersion) {
  if (modules[apiVersion]) return modules[apiVersion];
  return `kubernetes-models/${apiVersion}`; // "v1" is the core group, others are group/version
}

let failures = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(readFileSync(file, "utf8"))) {
    if (!doc) continue;
    const where = `${file}: ${doc.kind} ${doc.metadata?.name}`;
    try {
      const models = await import(moduleFor(doc.apiVersion));
      const Model = models[doc.kind];
      if (!Model) throw new Error(`no schema for ${doc.apiVersion} ${doc.kind}`);
      new Model(doc).validate();
      checked++;
      console.log(`valid   ${where}`);
    } catch (error) {
      failures++;
      console.log(`INVALID ${where}: ${error.message}`);
    }
  }
}
console.log(`${checked} valid, ${failures} invalid`);
process.exit(failures === 0 && checked > 0 ? 0 : 1);
