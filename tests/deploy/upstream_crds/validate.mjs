// Validate Kubernetes objects against the upstream CRDs' schemas (the kubernetes-models
// packages are generated from them). Reads a JSON array of objects on stdin, prints a JSON
// array of {object, errors}; an object whose kind has no upstream model is an error too.
import { readFileSync } from "node:fs";

const PACKAGES = {
  "gateway.networking.k8s.io": "@kubernetes-models/gateway-api",
  "external-secrets.io": "@kubernetes-models/external-secrets",
};

const objects = JSON.parse(readFileSync(0, "utf8"));
const results = [];
for (const obj of objects) {
  const [group, version] = obj.apiVersion.split("/");
  const name = `${obj.kind}/${obj.metadata?.namespace ?? "-"}/${obj.metadata?.name}`;
  const pkg = PACKAGES[group];
  if (!pkg) {
    results.push({ object: name, errors: [`no upstream model for ${obj.apiVersion}`] });
    continue;
  }
  let Model;
  try {
    Model = (await import(`${pkg}/${group}/${version}/${obj.kind}`))[obj.kind];
  } catch (e) {
    results.push({ object: name, errors: [`no upstream model for ${obj.apiVersion} ${obj.kind}`] });
    continue;
  }
  try {
    new Model(obj).validate();
    results.push({ object: name, errors: [] });
  } catch (e) {
    results.push({ object: name, errors: [String(e.message)] });
  }
}
process.stdout.write(JSON.stringify(results));
