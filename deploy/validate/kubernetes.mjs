// Renders every Kustomize overlay and every Argo CD kustomization and validates each object
// against its schema, unknown fields included. Then checks the contract between the objects:
// probes, security settings, selectors, network policy, IRSA, the generated config, monitoring
// labels, and the Argo CD projects, sync waves and sync policies.
import fs from "node:fs";

import YAML from "yaml";

import {
  find_unknown_fields,
  object_id,
  read_text,
  render_kustomization,
  report,
  repo_path,
  require_tool,
  validate_schema,
} from "./lib.mjs";

const environments = ["dev", "prod"];
const service_name = "nimbus-signals";
const config_mount_path = "/etc/nimbus-signals";
const config_file = `${config_mount_path}/config.yaml`;
const service_account_role = /^arn:aws:iam::\d{12}:role\/[A-Za-z0-9+=,.@_-]+$/;
const allowed_config_keys = [
  "listen", "admin_listen", "log_level", "history_size", "defaults", "supervision", "breaker",
  "venues", "pairs",
];
const log_levels = ["debug", "info", "warn", "error"];
const resources_finalizer = "resources-finalizer.argocd.argoproj.io";

const result = new report("kubernetes");

function find_one(objects, kind, where) {
  const matches = objects.filter((object) => object.kind === kind);
  result.check(matches.length === 1, `${where}: expected exactly one ${kind}, found ${matches.length}`);
  return matches[0];
}

function labels_match(selector, labels) {
  return Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);
}

function sync_wave(object) {
  return Number.parseInt(object.metadata?.annotations?.["argocd.argoproj.io/sync-wave"] ?? "0", 10);
}

function render_all() {
  const rendered = { base: render_kustomization(repo_path("deploy/kustomize/base")) };
  for (const environment of environments) {
    rendered[`overlay/${environment}`] = render_kustomization(
      repo_path("deploy/kustomize/overlays", environment));
    rendered[`apps/${environment}`] = render_kustomization(repo_path("gitops/apps", environment));
    rendered[`root/${environment}`] = render_kustomization(repo_path("gitops/root", environment));
  }
  return rendered;
}

function check_schemas(rendered) {
  const labelled = [];
  for (const [label, objects] of Object.entries(rendered)) {
    result.check(objects.length > 0, `${label}: rendered no objects`);
    for (const object of objects) {
      const error = validate_schema(object);
      result.check(error === null, `${label}: ${error}`);
      labelled.push({ label, object });
    }
  }
  for (const message of find_unknown_fields(labelled)) {
    result.fail(`unknown field: ${message}`);
  }
}

function check_probe(container, probe_name, expected_path, where) {
  const probe = container[probe_name];
  if (!result.check(probe !== undefined, `${where}: container has no ${probe_name}`)) {
    return;
  }
  result.check(probe.httpGet?.path === expected_path,
    `${where}: ${probe_name} path is ${probe.httpGet?.path}, expected ${expected_path}`);
  result.check(probe.httpGet?.port === "http",
    `${where}: ${probe_name} port is ${probe.httpGet?.port}, expected the named port http`);
}

function check_security_context(pod_spec, container, where) {
  const pod = pod_spec.securityContext ?? {};
  const own = container.securityContext ?? {};
  result.check(own.runAsNonRoot === true || pod.runAsNonRoot === true, `${where}: runAsNonRoot is not true`);
  result.check((own.runAsUser ?? pod.runAsUser) === 65532,
    `${where}: runAsUser is ${own.runAsUser ?? pod.runAsUser}, expected 65532 (the image's user)`);
  result.check(own.readOnlyRootFilesystem === true, `${where}: readOnlyRootFilesystem is not true`);
  result.check(own.allowPrivilegeEscalation === false, `${where}: allowPrivilegeEscalation is not false`);
  result.check(JSON.stringify(own.capabilities?.drop) === JSON.stringify(["ALL"]),
    `${where}: capabilities.drop is ${JSON.stringify(own.capabilities?.drop)}, expected ["ALL"]`);
  result.check(own.capabilities?.add === undefined, `${where}: capabilities.add must be empty`);
  const seccomp = own.seccompProfile?.type ?? pod.seccompProfile?.type;
  result.check(seccomp === "RuntimeDefault", `${where}: seccompProfile is ${seccomp}, expected RuntimeDefault`);
}

function check_deployment(objects, where) {
  const deployment = find_one(objects, "Deployment", where);
  if (deployment === undefined) {
    return;
  }
  const pod_spec = deployment.spec.template.spec;
  const container = pod_spec.containers.find((candidate) => candidate.name === service_name);
  if (!result.check(container !== undefined, `${where}: no container named ${service_name}`)) {
    return;
  }

  const http_port = (container.ports ?? []).find((port) => port.name === "http");
  result.check(http_port?.containerPort === 8080,
    `${where}: container port http is ${http_port?.containerPort}, expected 8080`);
  check_probe(container, "livenessProbe", "/livez", where);
  check_probe(container, "readinessProbe", "/readyz", where);
  check_probe(container, "startupProbe", "/livez", where);
  check_security_context(pod_spec, container, where);

  for (const kind of ["requests", "limits"]) {
    for (const resource of ["cpu", "memory"]) {
      result.check(container.resources?.[kind]?.[resource] !== undefined,
        `${where}: resources.${kind}.${resource} is not set`);
    }
  }
  result.check((pod_spec.terminationGracePeriodSeconds ?? 30) >= 10,
    `${where}: terminationGracePeriodSeconds is ${pod_spec.terminationGracePeriodSeconds}, expected at least 10`);

  const args = container.args ?? [];
  const config_index = args.indexOf("--config");
  result.check(config_index >= 0 && args[config_index + 1] === config_file,
    `${where}: args ${JSON.stringify(args)} do not pass --config ${config_file}`);
  const log_level = (container.env ?? []).find((variable) => variable.name === "NIMBUS_LOG_LEVEL");
  result.check(log_levels.includes(log_level?.value),
    `${where}: env NIMBUS_LOG_LEVEL is ${log_level?.value}, expected one of ${log_levels.join(", ")}`);

  // The images transformer must have replaced the placeholder name with a registry path.
  result.check(/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$/.test(container.image),
    `${where}: image ${container.image} is not REGISTRY/NAME:TAG or REGISTRY/NAME@sha256:DIGEST`);

  const mount = (container.volumeMounts ?? []).find((candidate) => candidate.mountPath === config_mount_path);
  result.check(mount?.readOnly === true, `${where}: no read-only volume mount at ${config_mount_path}`);
  const volume = (pod_spec.volumes ?? []).find((candidate) => candidate.name === mount?.name);
  const config_map = objects.find((object) => object.kind === "ConfigMap" && object.metadata.name === volume?.configMap?.name);
  result.check(config_map?.data?.["config.yaml"] !== undefined,
    `${where}: the config volume does not reference a rendered ConfigMap with key config.yaml`);
}

function check_selectors(objects, where) {
  const deployment = objects.find((object) => object.kind === "Deployment");
  if (deployment === undefined) {
    return;
  }
  const pod_labels = deployment.spec.template.metadata.labels;
  result.check(labels_match(deployment.spec.selector.matchLabels, pod_labels),
    `${where}: the Deployment selector does not match its own pod labels`);

  const service = find_one(objects, "Service", where);
  result.check(service !== undefined && labels_match(service.spec.selector, pod_labels),
    `${where}: the Service selector does not match the pod labels`);
  const service_port = service?.spec.ports.find((port) => port.name === "http");
  result.check(service_port?.targetPort === "http", `${where}: the Service has no port http targeting http`);

  for (const kind of ["PodDisruptionBudget", "NetworkPolicy"]) {
    const object = find_one(objects, kind, where);
    const selector = kind === "NetworkPolicy" ? object?.spec.podSelector : object?.spec.selector;
    result.check(object !== undefined && labels_match(selector?.matchLabels, pod_labels),
      `${where}: the ${kind} selector does not match the pod labels`);
  }

  const autoscaler = find_one(objects, "HorizontalPodAutoscaler", where);
  if (autoscaler !== undefined) {
    result.check(autoscaler.spec.scaleTargetRef.kind === "Deployment"
      && autoscaler.spec.scaleTargetRef.name === deployment.metadata.name,
      `${where}: the HorizontalPodAutoscaler does not target Deployment ${deployment.metadata.name}`);
    result.check(autoscaler.spec.minReplicas <= autoscaler.spec.maxReplicas,
      `${where}: HPA minReplicas ${autoscaler.spec.minReplicas} exceeds maxReplicas ${autoscaler.spec.maxReplicas}`);
    result.check(deployment.spec.replicas === autoscaler.spec.minReplicas,
      `${where}: Deployment replicas ${deployment.spec.replicas} differs from HPA minReplicas ${autoscaler.spec.minReplicas}`);
    const cpu = (autoscaler.spec.metrics ?? []).find((metric) => metric.resource?.name === "cpu");
    result.check(cpu !== undefined, `${where}: the HorizontalPodAutoscaler has no CPU metric`);
  }
}

function check_network_policy(objects, where) {
  const policy = objects.find((object) => object.kind === "NetworkPolicy");
  if (policy === undefined) {
    return;
  }
  result.check(JSON.stringify(policy.spec.policyTypes) === JSON.stringify(["Ingress", "Egress"]),
    `${where}: NetworkPolicy policyTypes are ${JSON.stringify(policy.spec.policyTypes)}, expected Ingress and Egress`);

  const sources = (policy.spec.ingress ?? []).flatMap((rule) => rule.from ?? [{ any: true }]);
  const namespaces = sources.map((source) => source.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"]);
  result.check(sources.every((source) => Object.keys(source).length === 1 && source.namespaceSelector),
    `${where}: NetworkPolicy ingress sources must be namespace selectors only`);
  result.check(JSON.stringify([...namespaces].sort()) === JSON.stringify(["ingress-nginx", "monitoring"]),
    `${where}: NetworkPolicy ingress namespaces are ${JSON.stringify(namespaces)}, expected monitoring and ingress-nginx`);

  const egress_ports = (policy.spec.egress ?? []).flatMap((rule) => rule.ports ?? [{ any: true }]);
  const allowed = new Set(["53/UDP", "53/TCP", "443/TCP"]);
  for (const port of egress_ports) {
    const name = `${port.port}/${port.protocol ?? "TCP"}`;
    result.check(allowed.has(name), `${where}: NetworkPolicy allows egress to ${name}; only DNS and HTTPS are expected`);
  }
  const seen = new Set(egress_ports.map((port) => `${port.port}/${port.protocol ?? "TCP"}`));
  for (const name of allowed) {
    result.check(seen.has(name), `${where}: NetworkPolicy does not allow egress to ${name}`);
  }
}

function check_service_account(objects, environment, where) {
  const account = find_one(objects, "ServiceAccount", where);
  const deployment = objects.find((object) => object.kind === "Deployment");
  result.check(deployment?.spec.template.spec.serviceAccountName === account?.metadata.name,
    `${where}: the Deployment does not run as ServiceAccount ${account?.metadata.name}`);
  const role = account?.metadata.annotations?.["eks.amazonaws.com/role-arn"] ?? "";
  result.check(service_account_role.test(role), `${where}: eks.amazonaws.com/role-arn ${role} is not an IAM role ARN`);
  result.check(role.endsWith(`:role/${service_name}-${environment}`),
    `${where}: role ARN ${role} does not name role ${service_name}-${environment} (infra/terraform/envs/${environment})`);
}

function parse_config(objects, where) {
  const config_map = objects.find((object) => object.kind === "ConfigMap" && object.data?.["config.yaml"]);
  if (!result.check(config_map !== undefined, `${where}: no ConfigMap with config.yaml`)) {
    return null;
  }
  const config = YAML.parse(config_map.data["config.yaml"]);
  for (const key of Object.keys(config)) {
    result.check(allowed_config_keys.includes(key), `${where}: config.yaml has unknown top-level key ${key}`);
  }
  // A venue without base_url or pairs takes its real public API and every default pair it quotes.
  for (const [venue, settings] of Object.entries(config.venues ?? {})) {
    if (settings?.base_url !== undefined) {
      result.check(/^https:\/\/[a-z0-9.-]+$/.test(settings.base_url),
        `${where}: venue ${venue} base_url ${settings.base_url} is not an https:// origin`);
    }
    result.check(settings?.enabled !== false, `${where}: venue ${venue} is listed but disabled`);
    if (settings?.pairs !== undefined) {
      result.check(settings.pairs.length > 0, `${where}: venue ${venue} lists no pairs`);
    }
  }
  return config;
}

function check_configs(rendered) {
  const base = parse_config(rendered.base, "base");
  const base_text = rendered.base.find((object) => object.kind === "ConfigMap" && object.data?.["config.yaml"])
    ?.data["config.yaml"];
  result.check(base_text === read_text(repo_path("config/nimbus.yaml")),
    "base: deploy/kustomize/base/config.yaml differs from config/nimbus.yaml; copy it again");
  result.check(Object.keys(base?.venues ?? {}).length === 15,
    `base: config.yaml enables ${Object.keys(base?.venues ?? {}).length} venues, expected all 15`);
  for (const environment of environments) {
    const config = parse_config(rendered[`overlay/${environment}`], `overlay/${environment}`);
    if (config === null || base === null) {
      continue;
    }
    // An overlay may choose its venues, but every other setting must stay the base's.
    const { venues: _, ...settings } = config;
    const { venues: __, ...base_settings } = base;
    result.check(JSON.stringify(settings) === JSON.stringify(base_settings),
      `overlay/${environment}: config.yaml differs from the base in keys other than venues`);
    for (const [venue, value] of Object.entries(config.venues ?? {})) {
      result.check(JSON.stringify(value) === JSON.stringify(base.venues?.[venue]),
        `overlay/${environment}: venue ${venue} differs from the base configuration`);
    }
  }
}

function find_application(apps, name) {
  return apps.find((object) => object.kind === "Application" && object.metadata.name === name);
}

function check_monitoring(objects, apps, environment, where) {
  const stack = find_application(apps, "kube-prometheus-stack");
  const release = stack?.spec.source?.helm?.releaseName;
  const service = objects.find((object) => object.kind === "Service");
  const monitors = objects.filter((object) => object.kind === "ServiceMonitor");
  const rules = objects.filter((object) => object.kind === "PrometheusRule");
  result.check(monitors.length > 0, `${where}: no ServiceMonitor rendered; is deploy/monitoring in the base resources?`);
  result.check(rules.length > 0, `${where}: no PrometheusRule rendered; is deploy/monitoring in the base resources?`);

  // kube-prometheus-stack selects these by release=<Helm release name> of the same cluster.
  for (const object of [...monitors, ...rules]) {
    result.check(object.metadata.labels?.release === release,
      `${where}: ${object_id(object)} has release label ${object.metadata.labels?.release}, but gitops/apps/${environment} names the kube-prometheus-stack release ${release}`);
  }
  for (const monitor of monitors) {
    result.check(labels_match(monitor.spec.selector?.matchLabels, service?.metadata.labels),
      `${where}: ${object_id(monitor)} selector does not match the Service labels`);
    for (const endpoint of monitor.spec.endpoints ?? []) {
      const port = service?.spec.ports.find((candidate) => candidate.name === endpoint.port);
      result.check(port !== undefined, `${where}: ${object_id(monitor)} scrapes port ${endpoint.port}, which the Service lacks`);
    }
  }

  const sidecar = stack?.spec.source?.helm?.valuesObject?.grafana?.sidecar?.dashboards;
  for (const dashboard of objects.filter((object) => object.kind === "ConfigMap" && object.metadata.labels?.[sidecar?.label])) {
    result.check(String(dashboard.metadata.labels[sidecar.label]) === String(sidecar.labelValue),
      `${where}: dashboard ${object_id(dashboard)} label ${sidecar.label} is not ${sidecar.labelValue}`);
  }
}

function check_project_allows(objects, apps, where) {
  const project = apps.find((object) => object.kind === "AppProject" && object.metadata.name === service_name);
  const application = find_application(apps, service_name);
  if (!result.check(project !== undefined && application !== undefined,
    `${where}: gitops has no AppProject and Application named ${service_name}`)) {
    return;
  }
  const whitelist = project.spec.namespaceResourceWhitelist ?? [];
  for (const object of objects) {
    const group = object.apiVersion.includes("/") ? object.apiVersion.split("/")[0] : "";
    const allowed = whitelist.some((entry) => (entry.group === "*" || entry.group === group)
      && (entry.kind === "*" || entry.kind === object.kind));
    result.check(allowed, `${where}: AppProject ${service_name} does not allow ${group || "core"}/${object.kind}`);
    result.check(object.metadata.namespace === application.spec.destination.namespace,
      `${where}: ${object_id(object)} is outside the Application's namespace ${application.spec.destination.namespace}`);
  }
}

function sources_of(application) {
  return application.spec.sources ?? [application.spec.source];
}

function check_application_against_project(application, projects, where) {
  const project = projects.find((candidate) => candidate.metadata.name === application.spec.project);
  if (!result.check(project !== undefined, `${where}: ${object_id(application)} uses unknown project ${application.spec.project}`)) {
    return;
  }
  for (const source of sources_of(application)) {
    result.check(project.spec.sourceRepos.includes(source.repoURL),
      `${where}: ${object_id(application)} source ${source.repoURL} is not in project ${project.metadata.name}'s sourceRepos`);
    if (source.chart !== undefined) {
      result.check(/^\d+\.\d+\.\d+$/.test(source.targetRevision ?? ""),
        `${where}: ${object_id(application)} chart version ${source.targetRevision} is not an exact version`);
    } else {
      result.check(fs.existsSync(repo_path(source.path ?? "missing-path")),
        `${where}: ${object_id(application)} source path ${source.path} does not exist in this repository`);
      result.check(source.targetRevision && source.targetRevision !== "HEAD",
        `${where}: ${object_id(application)} has no pinned targetRevision`);
    }
  }
  const destination = application.spec.destination;
  result.check(project.spec.destinations.some((allowed) => allowed.server === destination.server
    && (allowed.namespace === "*" || allowed.namespace === destination.namespace)),
  `${where}: project ${project.metadata.name} does not allow destination ${destination.server} ${destination.namespace}`);
}

function check_gitops(apps, root, environment) {
  const where = `gitops/apps/${environment}`;
  const projects = apps.filter((object) => object.kind === "AppProject");
  const applications = apps.filter((object) => object.kind === "Application");
  const automatic = environment === "dev";

  for (const application of [...applications, ...root.filter((object) => object.kind === "Application")]) {
    check_application_against_project(application, projects, where);
    const automated = application.spec.syncPolicy?.automated;
    if (automatic) {
      result.check(automated?.prune === true && automated?.selfHeal === true,
        `${where}: ${object_id(application)} lacks automated prune and selfHeal`);
    } else {
      result.check(automated === undefined, `${where}: ${object_id(application)} syncs automatically in ${environment}`);
    }
    // Deleting the self-managed Argo CD Application must not uninstall Argo CD.
    const wants_finalizer = application.metadata.name !== "argo-cd";
    result.check((application.metadata.finalizers ?? []).includes(resources_finalizer) === wants_finalizer,
      `${where}: ${object_id(application)} ${wants_finalizer ? "lacks" : "must not have"} the resources finalizer`);
  }

  const argo_cd = find_application(applications, "argo-cd");
  const stack = find_application(applications, "kube-prometheus-stack");
  const service = find_application(applications, service_name);
  if (!result.check(argo_cd && stack && service, `${where}: expected Applications argo-cd, kube-prometheus-stack and ${service_name}`)) {
    return;
  }
  for (const project of projects) {
    result.check(sync_wave(project) < Math.min(...applications.map(sync_wave)),
      `${where}: ${object_id(project)} does not sync before every Application`);
  }
  result.check(sync_wave(argo_cd) <= sync_wave(stack), `${where}: argo-cd syncs after kube-prometheus-stack`);
  result.check(sync_wave(stack) < sync_wave(service),
    `${where}: kube-prometheus-stack (its CRDs) does not sync before ${service_name}`);

  result.check(service.spec.source.path === `deploy/kustomize/overlays/${environment}`,
    `${where}: ${service_name} deploys ${service.spec.source.path}, expected deploy/kustomize/overlays/${environment}`);
  if (environment === "prod") {
    result.check(/^v\d+\.\d+\.\d+$/.test(service.spec.source.targetRevision),
      `${where}: prod ${service_name} targetRevision ${service.spec.source.targetRevision} is not a release tag vX.Y.Z`);
  }
  const ignores_replicas = (service.spec.ignoreDifferences ?? []).some((entry) => entry.kind === "Deployment"
    && (entry.jsonPointers ?? []).includes("/spec/replicas"));
  result.check(ignores_replicas && service.spec.syncPolicy?.syncOptions?.includes("RespectIgnoreDifferences=true"),
    `${where}: ${service_name} does not leave Deployment replicas to the HorizontalPodAutoscaler`);

  const values = stack.spec.source.helm?.valuesObject ?? {};
  const dashboards = values.grafana?.sidecar?.dashboards;
  result.check(dashboards?.enabled === true && dashboards?.label === "grafana_dashboard",
    `${where}: kube-prometheus-stack values do not enable the Grafana dashboard sidecar with label grafana_dashboard`);
  result.check(stack.spec.syncPolicy?.syncOptions?.includes("ServerSideApply=true"),
    `${where}: kube-prometheus-stack needs ServerSideApply=true for its large CRDs`);

  const root_application = root.find((object) => object.kind === "Application");
  result.check(root_application?.spec.source.path === `gitops/apps/${environment}`,
    `gitops/root/${environment}: the root Application renders ${root_application?.spec.source.path}, expected gitops/apps/${environment}`);
}

function main() {
  require_tool("kubectl", "install kubectl (it renders Kustomize offline with kubectl kustomize)");
  const rendered = render_all();
  check_schemas(rendered);
  check_configs(rendered);

  for (const environment of environments) {
    const where = `overlay/${environment}`;
    const objects = rendered[where];
    const apps = rendered[`apps/${environment}`];
    check_deployment(objects, where);
    check_selectors(objects, where);
    check_network_policy(objects, where);
    check_service_account(objects, environment, where);
    check_monitoring(objects, apps, environment, where);
    check_project_allows(objects, apps, where);
    check_gitops(apps, rendered[`root/${environment}`], environment);
  }
  result.finish();
}

main();
