// Starts the real nimbus-signals binary the way the dev overlay's Deployment would: its container
// args and env, and the config.yaml of its generated ConfigMap. Checks that the probe paths and
// the ServiceMonitor's scrape path respond as Kubernetes and Prometheus expect. Also checks that
// SIGTERM stops the process cleanly and that --check-config accepts every rendered config.
//
// Only loopback traffic: the service listens on 127.0.0.1 and every venue's base_url points at a
// closed port on 127.0.0.1, so no request leaves the machine.
//
// Usage: node consistency.mjs --binary PATH
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import YAML from "yaml";

import { object_id, render_kustomization, report, repo_path, require_tool } from "./lib.mjs";

const startup_deadline_ms = 20_000;
const request_timeout_ms = 3_000;
// The service promises to exit within 5 s of SIGTERM; one more second covers process teardown.
const shutdown_deadline_ms = 6_000;
const invalid_config_exit_code = 78;

const result = new report("consistency");

function parse_arguments() {
  const index = process.argv.indexOf("--binary");
  const binary = index > 0 ? process.argv[index + 1] : undefined;
  if (binary === undefined || !fs.existsSync(binary)) {
    console.error(`usage: node consistency.mjs --binary PATH (got ${binary}); build the nimbus-signals target first`);
    process.exit(2);
  }
  return path.resolve(binary);
}

function sleep(milliseconds) {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

// A port that was free a moment ago and now has no listener, so connections to it are refused.
function closed_port() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function http_get(port, request_path) {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port, path: request_path, timeout: request_timeout_ms }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => { body += chunk; });
      response.on("end", () => resolve({ status: response.statusCode, headers: response.headers, body }));
    });
    request.on("timeout", () => request.destroy(new Error(`GET ${request_path} timed out after ${request_timeout_ms} ms`)));
    request.on("error", reject);
  });
}

function config_of(objects, where) {
  const deployment = objects.find((object) => object.kind === "Deployment");
  const volume = deployment?.spec.template.spec.volumes?.find((candidate) => candidate.configMap);
  const config_map = objects.find((object) => object.kind === "ConfigMap" && object.metadata.name === volume?.configMap.name);
  const text = config_map?.data?.["config.yaml"];
  if (text === undefined) {
    throw new Error(`${where}: the Deployment mounts no ConfigMap with config.yaml`);
  }
  return text;
}

// Points every configured venue at a closed loopback port, keeping all other settings.
async function offline_config(text) {
  const document = YAML.parseDocument(text);
  const venues = document.get("venues");
  if (venues === undefined || venues === null) {
    throw new Error("config.yaml has no venues key, so the service would poll the real venues");
  }
  for (const pair of venues.items) {
    const port = await closed_port();
    const url = `http://127.0.0.1:${port}`;
    if (pair.value === null || pair.value.items === undefined) {
      pair.value = document.createNode({ base_url: url });
    } else {
      pair.value.set("base_url", url);
    }
  }
  return document.toString();
}

function container_of(objects) {
  const deployment = objects.find((object) => object.kind === "Deployment");
  return deployment.spec.template.spec.containers.find((container) => container.name === "nimbus-signals");
}

// The Deployment's args with the config path, listen address and port file replaced for the test.
function test_arguments(container, config_path, port_file) {
  const args = [...(container.args ?? [])];
  const replaced = [];
  for (let index = 0; index < args.length; index += 1) {
    if (["--listen", "--port-file"].includes(args[index])) {
      index += 1;
    } else if (args[index] === "--config") {
      replaced.push("--config", config_path);
      index += 1;
    } else {
      replaced.push(args[index]);
    }
  }
  result.check(replaced.includes("--config"), `the Deployment args ${JSON.stringify(container.args)} do not pass --config`);
  return [...replaced, "--listen", "127.0.0.1:0", "--port-file", port_file];
}

function test_environment(container) {
  const environment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("NIMBUS_")));
  for (const variable of container.env ?? []) {
    result.check(variable.value !== undefined,
      `env ${variable.name} uses valueFrom, which this test cannot reproduce; give it a literal value`);
    environment[variable.name] = variable.value ?? "";
  }
  environment.NIMBUS_LISTEN = "127.0.0.1:0";
  return environment;
}

async function wait_for_port(port_file, child) {
  const deadline = Date.now() + startup_deadline_ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`nimbus-signals exited with code ${child.exitCode} before listening`);
    }
    if (fs.existsSync(port_file)) {
      const port = Number.parseInt(fs.readFileSync(port_file, "utf8").trim(), 10);
      if (port > 0) {
        return port;
      }
    }
    await sleep(50);
  }
  throw new Error(`nimbus-signals wrote no port to ${port_file} within ${startup_deadline_ms} ms`);
}

function wait_for_exit(child, deadline_ms) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    const timer = setTimeout(() => resolve(null), deadline_ms);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

// The HTTP path and service port name the ServiceMonitor scrapes.
function scrape_target(objects) {
  const monitor = objects.find((object) => object.kind === "ServiceMonitor");
  if (!result.check(monitor !== undefined, "the dev overlay renders no ServiceMonitor, so the scrape path cannot be checked")) {
    return null;
  }
  const endpoint = monitor.spec.endpoints?.[0];
  const service = objects.find((object) => object.kind === "Service");
  const service_port = service?.spec.ports.find((port) => port.name === endpoint?.port);
  result.check(service_port?.targetPort === "http",
    `${object_id(monitor)} scrapes Service port ${endpoint?.port}, which does not target the container port http`);
  return { path: endpoint?.path ?? "/metrics", monitor: object_id(monitor) };
}

async function check_running_service(binary, objects, work_dir) {
  const container = container_of(objects);
  const config_path = path.join(work_dir, "config.yaml");
  const port_file = path.join(work_dir, "port");
  fs.writeFileSync(config_path, await offline_config(config_of(objects, "overlay/dev")));

  const args = test_arguments(container, config_path, port_file);
  const child = spawn(binary, args, { env: test_environment(container), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => { stdout += chunk; });
  child.stderr.on("data", (chunk) => { stderr += chunk; });

  try {
    const port = await wait_for_port(port_file, child);
    const liveness = container.livenessProbe.httpGet.path;
    const readiness = container.readinessProbe.httpGet.path;
    const startup = container.startupProbe.httpGet.path;

    for (const [probe, probe_path] of [["liveness", liveness], ["startup", startup]]) {
      const response = await http_get(port, probe_path);
      result.check(response.status === 200, `${probe} probe GET ${probe_path} returned ${response.status}, expected 200`);
    }

    // Without reachable venues no pair has fresh data, so 503 is the expected status here.
    const ready = await http_get(port, readiness);
    result.check([200, 503].includes(ready.status), `readiness probe GET ${readiness} returned ${ready.status}, expected 200 or 503`);
    let ready_body = null;
    try {
      ready_body = JSON.parse(ready.body);
    } catch {
      result.fail(`readiness probe GET ${readiness} body is not JSON: ${ready.body.slice(0, 200)}`);
    }
    result.check(ready_body !== null && typeof ready_body === "object", `readiness body is not a JSON object`);

    const target = scrape_target(objects);
    if (target !== null) {
      const metrics = await http_get(port, target.path);
      result.check(metrics.status === 200, `${target.monitor} path GET ${target.path} returned ${metrics.status}, expected 200`);
      result.check(metrics.body.includes("nimbus_build_info"),
        `${target.monitor} path GET ${target.path} has no nimbus_build_info metric`);
    }
  } catch (error) {
    result.fail(`${error.message}; stderr: ${stderr.slice(-2000)}`);
  }

  child.kill("SIGTERM");
  const exit = await wait_for_exit(child, shutdown_deadline_ms);
  if (exit === null) {
    child.kill("SIGKILL");
    await wait_for_exit(child, shutdown_deadline_ms);
  }
  result.check(exit !== null, `nimbus-signals did not exit within ${shutdown_deadline_ms} ms of SIGTERM`);
  result.check(exit === null || exit.code === 0, `nimbus-signals exited with ${JSON.stringify(exit)} after SIGTERM, expected code 0`);

  const log_lines = stdout.split("\n").filter((line) => line.trim() !== "");
  result.check(log_lines.length > 0, "nimbus-signals wrote no log lines to stdout");
  for (const line of log_lines) {
    let entry = null;
    try {
      entry = JSON.parse(line);
    } catch {
      // Reported below.
    }
    result.check(entry !== null && typeof entry === "object" && "level" in entry && "msg" in entry,
      `stdout line is not a JSON log object with level and msg: ${line.slice(0, 200)}`);
  }
}

function check_config_file(binary, config_path, label, expected_code) {
  const completed = spawnSync(binary, ["--check-config", "--config", config_path], {
    encoding: "utf8",
    timeout: request_timeout_ms * 5,
    env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("NIMBUS_"))),
  });
  result.check(completed.status === expected_code,
    `--check-config on ${label} exited with ${completed.status}, expected ${expected_code}: ${(completed.stderr + completed.stdout).slice(-1000)}`);
}

function check_configs(binary, work_dir) {
  const cases = [
    ["base", repo_path("deploy/kustomize/base")],
    ["overlay/dev", repo_path("deploy/kustomize/overlays/dev")],
    ["overlay/prod", repo_path("deploy/kustomize/overlays/prod")],
  ];
  for (const [label, directory] of cases) {
    const objects = render_kustomization(directory);
    const text = label === "base"
      ? objects.find((object) => object.kind === "ConfigMap" && object.data?.["config.yaml"])?.data["config.yaml"]
      : config_of(objects, label);
    const file = path.join(work_dir, `${label.replace("/", "-")}.yaml`);
    fs.writeFileSync(file, text ?? "");
    check_config_file(binary, file, `the ${label} ConfigMap's config.yaml`, 0);

    // Negative control: --check-config must reject an unknown key, or a pass above means nothing.
    if (label === "base") {
      const broken = path.join(work_dir, "base-with-unknown-key.yaml");
      fs.writeFileSync(broken, `${text}\nunknown_key_for_test: 1\n`);
      check_config_file(binary, broken, "the base config with an unknown key", invalid_config_exit_code);
    }
  }
}

async function main() {
  const binary = parse_arguments();
  require_tool("kubectl", "install kubectl (it renders Kustomize offline with kubectl kustomize)");
  const work_dir = fs.mkdtempSync(path.join(os.tmpdir(), "nimbus-consistency-"));
  try {
    check_configs(binary, work_dir);
    await check_running_service(binary, render_kustomization(repo_path("deploy/kustomize/overlays/dev")), work_dir);
  } finally {
    fs.rmSync(work_dir, { recursive: true, force: true });
  }
  result.finish();
}

await main();
