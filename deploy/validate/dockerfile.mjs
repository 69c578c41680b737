// Lints the Dockerfile with dockerfile-utils, where every diagnostic fails, warnings included.
// Then checks the image contract: a Debian 12 build stage that uses scripts/install-deps.sh and
// the release CMake options, and a debian:12-slim runtime stage running as uid 65532. Also checks
// the entrypoint and command, port 8080, OCI labels, and COPY sources that exist and survive
// .dockerignore.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { read_text, report, repo_path } from "./lib.mjs";

const require = createRequire(import.meta.url);
const { validate } = require("dockerfile-utils");
const { DockerfileParser } = require("dockerfile-ast");

const dockerfile_path = process.argv[2] ?? repo_path("Dockerfile");
const context_dir = path.dirname(dockerfile_path);
const result = new report("dockerfile");

const required_labels = [
  "org.opencontainers.image.title",
  "org.opencontainers.image.description",
  "org.opencontainers.image.version",
  "org.opencontainers.image.revision",
  "org.opencontainers.image.created",
  "org.opencontainers.image.source",
];
const required_build_flags = [
  "scripts/install-deps.sh",
  "-G Ninja",
  "-DCMAKE_BUILD_TYPE=Release",
  "-DNIMBUS_BUILD_TESTS=OFF",
  "-DNIMBUS_BUILD_BENCH=OFF",
  "--target nimbus-signals",
  "/usr/local/bin/nimbus-signals",
];
const severity_names = { 1: "error", 2: "warning", 3: "information", 4: "hint" };

function lint(text) {
  for (const diagnostic of validate(text)) {
    const line = diagnostic.range.start.line + 1;
    const severity = severity_names[diagnostic.severity] ?? "diagnostic";
    result.fail(`line ${line}: ${severity}: ${diagnostic.message}`);
  }
  result.check(true, "dockerfile-utils lint ran");
}

function split_stages(instructions) {
  const stages = [];
  for (const instruction of instructions) {
    if (instruction.getKeyword() === "FROM") {
      stages.push({ from: instruction, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

function arguments_text(instruction) {
  return instruction.getArguments().map((argument) => argument.getValue()).join(" ");
}

// Docker's .dockerignore rules, reduced to what this repository uses: plain paths, trailing
// slashes, ** and * wildcards, and ! exceptions. The last matching rule wins.
function ignore_rules() {
  const file = path.join(context_dir, ".dockerignore");
  if (!fs.existsSync(file)) {
    return [];
  }
  return read_text(file).split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const negated = line.startsWith("!");
      const pattern = (negated ? line.slice(1) : line).replace(/^\/+/, "").replace(/\/+$/, "");
      const expression = pattern.split("/").map((part) => {
        if (part === "**") {
          return ".*";
        }
        return part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]");
      }).join("/");
      return { negated, regex: new RegExp(`^${expression}(/.*)?$`) };
    });
}

function is_ignored(relative, rules) {
  let ignored = false;
  for (const rule of rules) {
    if (rule.regex.test(relative)) {
      ignored = !rule.negated;
    }
  }
  return ignored;
}

function check_copy_sources(stages) {
  const rules = ignore_rules();
  for (const stage of stages) {
    for (const instruction of stage.instructions) {
      if (instruction.getKeyword() !== "COPY" && instruction.getKeyword() !== "ADD") {
        continue;
      }
      const from_stage = instruction.getFlags().some((flag) => flag.getName() === "from");
      if (from_stage) {
        continue;
      }
      const parts = instruction.getArguments().map((argument) => argument.getValue());
      for (const source of parts.slice(0, -1)) {
        if (source === ".") {
          continue;
        }
        const line = instruction.getRange().start.line + 1;
        result.check(fs.existsSync(path.join(context_dir, source)),
          `line ${line}: COPY source ${source} does not exist in the build context`);
        result.check(!is_ignored(source, rules),
          `line ${line}: COPY source ${source} is excluded by .dockerignore`);
      }
    }
  }
}

function check_build_stage(stage) {
  result.check(/^debian:12\s+AS\s+build$/i.test(arguments_text(stage.from)),
    `first stage is FROM ${arguments_text(stage.from)}, expected FROM debian:12 AS build`);
  const commands = stage.instructions.filter((instruction) => instruction.getKeyword() === "RUN")
    .map(arguments_text).join(" ");
  for (const flag of required_build_flags) {
    result.check(commands.includes(flag), `build stage RUN commands do not contain ${flag}`);
  }
}

function check_runtime_stage(stage) {
  result.check(/^debian:12-slim(\s+AS\s+\S+)?$/i.test(arguments_text(stage.from)),
    `last stage is FROM ${arguments_text(stage.from)}, expected FROM debian:12-slim`);
  const by_keyword = (keyword) => stage.instructions.filter((instruction) => instruction.getKeyword() === keyword);

  const users = by_keyword("USER").map(arguments_text);
  result.check(users.length > 0 && /^65532(:65532)?$/.test(users[users.length - 1]),
    `runtime stage USER is ${users[users.length - 1]}, expected 65532:65532`);
  result.check(by_keyword("EXPOSE").map(arguments_text).join(" ").split(/\s+/).includes("8080"),
    "runtime stage does not EXPOSE 8080");

  const entrypoint = by_keyword("ENTRYPOINT").map((instruction) => instruction.getArgumentsContent()).pop();
  result.check(entrypoint !== undefined && JSON.stringify(JSON.parse(entrypoint)) === '["/usr/local/bin/nimbus-signals"]',
    `ENTRYPOINT is ${entrypoint}, expected ["/usr/local/bin/nimbus-signals"]`);
  const command = by_keyword("CMD").map((instruction) => instruction.getArgumentsContent()).pop();
  result.check(command !== undefined
    && JSON.stringify(JSON.parse(command)) === '["--config","/etc/nimbus-signals/config.yaml"]',
  `CMD is ${command}, expected ["--config", "/etc/nimbus-signals/config.yaml"]`);

  const copies = by_keyword("COPY").map(arguments_text);
  result.check(copies.some((text) => text.endsWith("/etc/nimbus-signals/config.yaml")),
    "runtime stage does not COPY a config to /etc/nimbus-signals/config.yaml");

  const labels = new Set(by_keyword("LABEL").flatMap((instruction) => instruction.getProperties())
    .map((property) => property.getName()));
  for (const label of required_labels) {
    result.check(labels.has(label), `runtime stage has no LABEL ${label}`);
  }

  const installs = by_keyword("RUN").map(arguments_text).filter((text) => text.includes("apt-get install"));
  result.check(installs.length === 1, `runtime stage has ${installs.length} apt-get install commands, expected 1`);
  result.check(installs.every((text) => text.includes("--no-install-recommends")),
    "runtime stage apt-get install lacks --no-install-recommends");
  result.check(installs.every((text) => text.includes("rm -rf /var/lib/apt/lists")),
    "runtime stage keeps the apt package lists; remove /var/lib/apt/lists/* in the same RUN");
}

function main() {
  const text = read_text(dockerfile_path);
  lint(text);

  const stages = split_stages(DockerfileParser.parse(text).getInstructions());
  if (result.check(stages.length >= 2, `found ${stages.length} stages, expected a build and a runtime stage`)) {
    check_build_stage(stages[0]);
    check_runtime_stage(stages[stages.length - 1]);
  }
  check_copy_sources(stages);
  result.finish();
}

main();
