// Shared helpers for the offline deployment validators: repository paths, Kustomize rendering,
// schema validation with the kubernetes-models packages, and failure reporting.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import YAML from "yaml";

export const validate_dir = path.dirname(fileURLToPath(import.meta.url));
export const repo_root = path.resolve(validate_dir, "..", "..");
const require = createRequire(import.meta.url);

// Exit code that ctest treats as a skipped test (SKIP_RETURN_CODE 77).
export const skip_exit_code = 77;

// Collects failures so one run reports all of them, then sets the exit code.
export class report {
  constructor(name) {
    this.name = name;
    this.failures = [];
    this.checks = 0;
  }

  check(condition, message) {
    this.checks += 1;
    if (!condition) {
      this.failures.push(message);
    }
    return condition;
  }

  fail(message) {
    this.check(false, message);
  }

  finish() {
    for (const failure of this.failures) {
      console.error(`FAIL ${this.name}: ${failure}`);
    }
    const passed = this.checks - this.failures.length;
    console.log(`${this.name}: ${passed} passed, ${this.failures.length} failed`);
    process.exitCode = this.failures.length === 0 ? 0 : 1;
  }
}

// Skips the test (exit 77) when a tool it needs is missing, naming the tool and the fix.
export function require_tool(command, fix) {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
  } catch {
    console.log(`SKIP: ${command} not found on PATH; ${fix}`);
    process.exit(skip_exit_code);
  }
}

export function repo_path(...parts) {
  return path.join(repo_root, ...parts);
}

export function relative_to_repo(file) {
  return path.relative(repo_root, file);
}

export function read_text(file) {
  return fs.readFileSync(file, "utf8");
}

// Renders a Kustomize directory with kubectl's built-in kustomize and returns its objects.
export function render_kustomization(directory) {
  const output = execFileSync("kubectl", ["kustomize", directory], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  return parse_yaml_documents(output, relative_to_repo(directory));
}

// Parses a multi-document YAML stream; a syntax error raises with the source name.
export function parse_yaml_documents(text, source_name) {
  const documents = YAML.parseAllDocuments(text);
  const objects = [];
  for (const document of documents) {
    if (document.errors.length > 0) {
      throw new Error(`${source_name}: invalid YAML: ${document.errors[0].message}`);
    }
    const value = document.toJS();
    if (value !== null && value !== undefined) {
      objects.push(value);
    }
  }
  return objects;
}

export function object_id(object) {
  const namespace = object.metadata?.namespace ? `${object.metadata.namespace}/` : "";
  return `${object.kind} ${namespace}${object.metadata?.name}`;
}

// npm packages with models, searched in this order. kubernetes-models contains the core
// Kubernetes API (1.27), and the others contain the CRDs of Argo CD and the Prometheus operator.
const model_packages = [
  "kubernetes-models",
  "@kubernetes-models/argo-cd",
  "@kubernetes-models/prometheus-operator",
];

// Returns { module_path, class_name } for an apiVersion and kind, or null when no package has it.
export function find_model(api_version, kind) {
  const group_path = api_version.includes("/") ? api_version : `v1`;
  for (const package_name of model_packages) {
    const module_path = `${package_name}/${group_path}/${kind}`;
    try {
      require.resolve(module_path);
      return { module_path, class_name: kind };
    } catch {
      // Not in this package; try the next.
    }
  }
  return null;
}

// Validates one object against its JSON schema. Returns an error message or null.
export function validate_schema(object) {
  const model = find_model(object.apiVersion ?? "", object.kind ?? "");
  if (model === null) {
    return `${object_id(object)}: no schema for apiVersion ${object.apiVersion} kind ${object.kind}`;
  }
  const model_class = require(model.module_path)[model.class_name];
  try {
    new model_class(object).validate();
    return null;
  } catch (error) {
    return `${object_id(object)}: ${error.message}`;
  }
}

// Checks objects for fields their types do not declare, which the JSON schemas above accept
// silently. Each object becomes a typed TypeScript constant, and the compiler's excess property
// check reports an unknown field. TypeScript stops at the first mismatch of an assignment, so an
// object with several unknown fields shows one per run. Returns a list of error messages.
export function find_unknown_fields(labelled_objects) {
  const ts = require("typescript");
  const work_dir = fs.mkdtempSync(path.join(os.tmpdir(), "nimbus-strict-"));
  const source_file = path.join(work_dir, "objects.ts");

  const lines = [];
  const owners = [];
  labelled_objects.forEach(({ label, object }, index) => {
    const model = find_model(object.apiVersion ?? "", object.kind ?? "");
    if (model === null) {
      return;
    }
    const type_name = `T${index}`;
    lines.push(`import type { I${model.class_name} as ${type_name} } from "${model.module_path}";`);
    const body = JSON.stringify(object, null, 2).split("\n");
    const first_line = lines.length;
    lines.push(`export const object_${index}: ${type_name} = ${body[0]}`);
    lines.push(...body.slice(1));
    lines[lines.length - 1] += ";";
    owners.push({ first_line, last_line: lines.length - 1, label: `${label}: ${object_id(object)}` });
  });
  fs.writeFileSync(source_file, `${lines.join("\n")}\n`);

  const program = ts.createProgram([source_file], {
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    baseUrl: path.join(validate_dir, "node_modules"),
    typeRoots: [],
    types: [],
  });
  const messages = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
    if (diagnostic.file === undefined || diagnostic.file.fileName !== source_file) {
      messages.push(`type check setup: ${text}`);
      continue;
    }
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const owner = owners.find((candidate) => line >= candidate.first_line && line <= candidate.last_line);
    const where = owner ? owner.label : `line ${line + 1}`;
    messages.push(`${where}: ${text} (at: ${lines[line].trim()})`);
  }
  fs.rmSync(work_dir, { recursive: true, force: true });
  return messages;
}
