// Parses every Terraform file under infra/terraform with @cdktf/hcl2json, which is the
// hashicorp/hcl parser compiled to WebAssembly. Then checks the house policy: module layout, typed
// and described variables, provider floors in modules and pins in root stacks, and the S3 backend
// with DynamoDB locking. Also checks tags on everything, IAM policies from aws_iam_policy_document,
// a service role without permissions, and that no account id or secret is hard-coded.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { read_text, relative_to_repo, report, repo_path } from "./lib.mjs";

const require = createRequire(import.meta.url);
const { parse } = require("@cdktf/hcl2json");

const terraform_root = repo_path("infra", "terraform");
const module_files = ["main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"];
// Resource types this repository creates that accept tags. A new taggable type belongs here.
const taggable_resources = new Set([
  "aws_ecr_repository",
  "aws_iam_role",
  "aws_iam_openid_connect_provider",
  "aws_iam_policy",
  "aws_s3_bucket",
  "aws_dynamodb_table",
  "aws_cloudwatch_log_group",
  "aws_kms_key",
]);
const iam_policy_arguments = { aws_iam_role: "assume_role_policy", aws_iam_role_policy: "policy", aws_iam_policy: "policy" };
const account_id = /(?<![0-9A-Za-z])[0-9]{12}(?![0-9A-Za-z])/;
const secret_patterns = [
  { name: "AWS access key id", regex: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: "AWS secret access key", regex: /aws_secret_access_key|secret_key\s*=/i },
  { name: "password literal", regex: /password\s*=\s*"[^"$]/i },
  { name: "private key", regex: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
];

const result = new report("terraform");

function list_directories(parent) {
  return fs.readdirSync(parent, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
    .map((entry) => path.join(parent, entry.name));
}

function list_files(directory, extension) {
  return fs.readdirSync(directory).filter((name) => name.endsWith(extension)).map((name) => path.join(directory, name));
}

// Parses every .tf file of a directory and merges the blocks, as Terraform does.
async function load_directory(directory) {
  const merged = { variable: {}, output: {}, resource: {}, data: {}, module: {}, provider: {}, terraform: [], locals: [] };
  for (const file of list_files(directory, ".tf")) {
    let parsed;
    try {
      parsed = await parse(path.basename(file), read_text(file));
    } catch (error) {
      result.fail(`${relative_to_repo(file)}: ${String(error)}`);
      continue;
    }
    result.check(true, `${relative_to_repo(file)} parses`);
    for (const [block, value] of Object.entries(parsed)) {
      if (block === "terraform" || block === "locals") {
        merged[block].push(...value);
      } else if (block === "resource" || block === "data") {
        for (const [type, instances] of Object.entries(value)) {
          merged[block][type] = { ...(merged[block][type] ?? {}), ...instances };
        }
      } else if (merged[block] !== undefined) {
        Object.assign(merged[block], value);
      }
    }
  }
  return merged;
}

function check_text(file) {
  const where = relative_to_repo(file);
  read_text(file).split("\n").forEach((line, index) => {
    result.check(!account_id.test(line), `${where}:${index + 1}: hard-coded 12-digit number (an AWS account id?): ${line.trim()}`);
    for (const pattern of secret_patterns) {
      result.check(!pattern.regex.test(line), `${where}:${index + 1}: looks like a ${pattern.name}: ${line.trim()}`);
    }
  });
}

function check_variables(config, where) {
  for (const [name, [variable]] of Object.entries(config.variable)) {
    result.check(typeof variable.type === "string" && variable.type.length > 0, `${where}: variable ${name} has no type`);
    result.check(typeof variable.description === "string" && variable.description.trim().length >= 10,
      `${where}: variable ${name} has no description of at least 10 characters`);
  }
  for (const [name, [output]] of Object.entries(config.output)) {
    result.check(typeof output.description === "string" && output.description.trim().length >= 10,
      `${where}: output ${name} has no description`);
  }
}

function required_providers(config) {
  return Object.assign({}, ...config.terraform.flatMap((block) => block.required_providers ?? []));
}

function check_versions(config, where, constraint_prefix) {
  const versions = config.terraform.map((block) => block.required_version).filter(Boolean);
  result.check(versions.length === 1 && versions[0].startsWith(constraint_prefix),
    `${where}: required_version is ${versions[0]}, expected one constraint starting with ${constraint_prefix}`);
  const providers = required_providers(config);
  result.check(Object.keys(providers).length > 0, `${where}: declares no required_providers`);
  for (const [name, provider] of Object.entries(providers)) {
    result.check(/^[a-z0-9-]+\/[a-z0-9-]+$/.test(provider.source ?? ""), `${where}: provider ${name} has no source`);
    result.check((provider.version ?? "").startsWith(constraint_prefix),
      `${where}: provider ${name} version is ${provider.version}, expected a constraint starting with ${constraint_prefix}`);
  }
}

function check_resources(config, where) {
  for (const [type, instances] of Object.entries(config.resource)) {
    for (const [name, [resource]] of Object.entries(instances)) {
      if (taggable_resources.has(type)) {
        result.check(resource.tags !== undefined, `${where}: ${type}.${name} sets no tags`);
      }
      const argument = iam_policy_arguments[type];
      if (argument !== undefined) {
        result.check(String(resource[argument]).startsWith("${data.aws_iam_policy_document."),
          `${where}: ${type}.${name}.${argument} is not built with aws_iam_policy_document`);
      }
    }
  }
}

function check_module_calls(config, where, directory) {
  for (const [name, [call]] of Object.entries(config.module)) {
    result.check(call.tags !== undefined, `${where}: module ${name} is not passed tags`);
    const source = call.source ?? "";
    if (source.startsWith("./") || source.startsWith("../")) {
      result.check(fs.existsSync(path.join(directory, source, "main.tf")),
        `${where}: module ${name} source ${source} has no main.tf`);
    } else {
      result.check(/^~>\s*\d+\.\d+/.test(call.version ?? ""),
        `${where}: registry module ${name} (${source}) version is ${call.version}, expected a ~> pin`);
    }
  }
}

function check_module(config, directory) {
  const where = relative_to_repo(directory);
  for (const file of module_files) {
    result.check(fs.existsSync(path.join(directory, file)), `${where}: missing ${file}`);
  }
  check_versions(config, where, ">=");
  const tags = config.variable.tags?.[0];
  result.check(tags?.type === "${map(string)}", `${where}: has no variable tags of type map(string)`);

  // The README's inputs table documents every variable, as a table cell or in backticks.
  const readme_path = path.join(directory, "README.md");
  const readme = fs.existsSync(readme_path) ? read_text(readme_path) : "";
  for (const name of Object.keys(config.variable)) {
    const documented = new RegExp(`(\\|\\s*|/\\s*|\`)${name}(\\s*[|/]|\`)`).test(readme);
    result.check(documented, `${where}/README.md does not document variable ${name}`);
  }
}

function check_service_irsa(config, where) {
  const granting = ["aws_iam_role_policy", "aws_iam_role_policy_attachment", "aws_iam_policy",
    "aws_iam_policy_attachment", "aws_iam_role_policies_exclusive"];
  for (const type of granting) {
    result.check(config.resource[type] === undefined, `${where}: ${type} grants the service role permissions; it must have none`);
  }
  const trust = JSON.stringify(config.data.aws_iam_policy_document ?? {});
  result.check(trust.includes("system:serviceaccount:${var.namespace}:${var.service_account}"),
    `${where}: the trust policy does not pin the subject to one service account`);
  result.check(trust.includes("sts:AssumeRoleWithWebIdentity") && trust.includes(":aud"),
    `${where}: the trust policy lacks sts:AssumeRoleWithWebIdentity with an audience condition`);
}

function check_github_oidc(config, where) {
  const documents = config.data.aws_iam_policy_document ?? {};
  const push = documents.push?.[0];
  for (const statement of push?.statement ?? []) {
    const wildcard_resource = (statement.resources ?? []).includes("*");
    result.check(!wildcard_resource || JSON.stringify(statement.actions) === '["ecr:GetAuthorizationToken"]',
      `${where}: push statement ${statement.sid} grants ${JSON.stringify(statement.actions)} on every resource`);
    result.check((statement.actions ?? []).every((action) => action.startsWith("ecr:") && !action.includes("*")),
      `${where}: push statement ${statement.sid} allows ${JSON.stringify(statement.actions)}; only named ecr: actions are expected`);
  }
  // The subjects are built in locals as repo:OWNER/NAME:ref:REF, one per allowed ref.
  const subjects = config.locals.map((block) => block.push_subjects).find(Boolean) ?? "";
  const trust = JSON.stringify(documents.push_trust ?? {});
  result.check(subjects.includes("repo:${var.github_repository}:ref:${ref}") && trust.includes("${local.push_subjects}"),
    `${where}: the push role trust policy is not scoped to the repository and its refs`);
}

function check_environment(config, directory) {
  const where = relative_to_repo(directory);
  check_versions(config, where, "~>");
  const backend = config.terraform.map((block) => block.backend?.s3?.[0]).find(Boolean);
  result.check(backend !== undefined, `${where}: no backend "s3"`);
  result.check(Boolean(backend?.dynamodb_table), `${where}: the S3 backend has no dynamodb_table for locking`);
  result.check(backend?.encrypt === true, `${where}: the S3 backend does not set encrypt = true`);
  result.check((backend?.key ?? "").includes(path.basename(directory)),
    `${where}: the state key ${backend?.key} does not name the environment`);

  const aws = config.provider.aws?.[0];
  result.check(aws?.default_tags?.[0]?.tags !== undefined, `${where}: provider aws sets no default_tags`);
  check_module_calls(config, where, directory);

  const tfvars_example = path.join(directory, "terraform.tfvars.example");
  if (fs.existsSync(tfvars_example)) {
    check_text(tfvars_example);
  }
}

function check_dev_costs(config, where) {
  const cluster = config.module.cluster?.[0] ?? {};
  result.check(cluster.node_min_size >= 2 && cluster.node_max_size <= 3,
    `${where}: dev nodes scale ${cluster.node_min_size} to ${cluster.node_max_size}, expected within 2 to 3`);
  const instance_types = config.variable.node_instance_types?.[0]?.default ?? [];
  result.check(instance_types.every((type) => /^t3a?\.(micro|small|medium)$/.test(type)),
    `${where}: dev instance types ${JSON.stringify(instance_types)} are not small burstable types`);
  const network = config.module.network?.[0] ?? {};
  result.check(network.single_nat_gateway === true, `${where}: dev uses more than one NAT gateway`);
}

async function main() {
  const modules = list_directories(path.join(terraform_root, "modules"));
  const environments = list_directories(path.join(terraform_root, "envs"));
  result.check(modules.length >= 5, `found ${modules.length} modules, expected network, cluster, registry, service_irsa and github_oidc`);
  result.check(environments.length >= 2, `found ${environments.length} environments, expected dev and prod`);

  for (const directory of [...modules, ...environments]) {
    const config = await load_directory(directory);
    const where = relative_to_repo(directory);
    for (const file of list_files(directory, ".tf")) {
      check_text(file);
    }
    check_variables(config, where);
    check_resources(config, where);
    if (modules.includes(directory)) {
      check_module(config, directory);
      check_module_calls(config, where, directory);
    } else {
      check_environment(config, directory);
    }
    if (where.endsWith("modules/service_irsa")) {
      check_service_irsa(config, where);
    }
    if (where.endsWith("modules/github_oidc")) {
      check_github_oidc(config, where);
    }
    if (where.endsWith("envs/dev")) {
      check_dev_costs(config, where);
    }
  }
  result.finish();
}

await main();
