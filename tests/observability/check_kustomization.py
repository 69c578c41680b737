#!/usr/bin/env python3
"""Build deploy/monitoring with kustomize and check what it produces: the PrometheusRule as
written, a ServiceMonitor for the port named http at /metrics, and one ConfigMap per dashboard
with the grafana_dashboard label and the dashboard JSON unchanged. When the kustomize base of the
service exists, also check that the ServiceMonitor's selector matches its Service."""

import argparse
import subprocess
import sys
from pathlib import Path

import yaml

import monitoring

KUSTOMIZE_TIMEOUT_S = 60


def kustomize(kubectl, directory):
    result = subprocess.run([kubectl, "kustomize", str(directory)], capture_output=True, text=True,
                            timeout=KUSTOMIZE_TIMEOUT_S, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"kubectl kustomize {directory} failed:\n{result.stderr}")
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def of_kind(documents, kind):
    return [doc for doc in documents if doc.get("kind") == kind]


def check_rule(documents, source_dir, failures):
    rules = of_kind(documents, "PrometheusRule")
    if len(rules) != 1:
        failures.append(f"expected one PrometheusRule, found {len(rules)}")
        return
    _, spec = monitoring.load_rule_spec(source_dir)
    if rules[0]["spec"] != spec:
        failures.append("the built PrometheusRule's spec differs from prometheusrule.yaml")


def check_service_monitor(documents, failures):
    monitors = of_kind(documents, "ServiceMonitor")
    if len(monitors) != 1:
        failures.append(f"expected one ServiceMonitor, found {len(monitors)}")
        return None
    monitor = monitors[0]

    if monitor["metadata"].get("labels", {}).get("release") != "kube-prometheus-stack":
        failures.append("ServiceMonitor lacks the label release: kube-prometheus-stack")
    endpoints = monitor["spec"].get("endpoints", [])
    if not any(e.get("port") == "http" and e.get("path") == "/metrics" for e in endpoints):
        failures.append(f"ServiceMonitor has no endpoint for port http at /metrics: {endpoints}")
    if monitor["spec"].get("jobLabel") != "app.kubernetes.io/name":
        failures.append("ServiceMonitor jobLabel must be app.kubernetes.io/name; "
                        "NimbusMetricsAbsent expects job=\"nimbus-signals\"")
    return monitor


def check_dashboards(documents, source_dir, failures):
    config_maps = of_kind(documents, "ConfigMap")
    by_file = {}
    for config_map in config_maps:
        for key, value in config_map.get("data", {}).items():
            by_file[key] = (config_map, value)

    for path in sorted((source_dir / monitoring.DASHBOARD_DIR).glob("*.json")):
        if path.name not in by_file:
            failures.append(f"no ConfigMap carries {path.name}")
            continue
        config_map, content = by_file[path.name]
        name = config_map["metadata"]["name"]
        if content != path.read_text(encoding="utf-8"):
            failures.append(f"ConfigMap {name} changes the content of {path.name}")
        if config_map["metadata"].get("labels", {}).get("grafana_dashboard") != "1":
            failures.append(f"ConfigMap {name} lacks the label grafana_dashboard: \"1\"")
        expected_name = "nimbus-signals-dashboard-" + path.stem.removeprefix("nimbus-")
        if name != expected_name:
            failures.append(f"ConfigMap for {path.name} is named {name}, expected {expected_name} "
                            "without a hash suffix")


def check_selector_matches_service(kubectl, source_dir, monitor, failures):
    base = source_dir / "deploy/kustomize/base"
    if not (base / "kustomization.yaml").exists():
        print(f"note: {base} does not exist; ServiceMonitor selector not checked against a Service")
        return
    services = of_kind(kustomize(kubectl, base), "Service")
    wanted = monitor["spec"]["selector"].get("matchLabels", {})
    matching = [s for s in services
                if all(s["metadata"].get("labels", {}).get(k) == v for k, v in wanted.items())]
    if not matching:
        failures.append(f"no Service in {base} has the labels {wanted}")
    for service in matching:
        ports = [p.get("name") for p in service["spec"].get("ports", [])]
        if "http" not in ports:
            failures.append(f"Service {service['metadata']['name']} has no port named http: {ports}")
        labels = service["metadata"].get("labels", {})
        if labels.get("app.kubernetes.io/name") != "nimbus-signals":
            failures.append(f"Service {service['metadata']['name']} lacks "
                            "app.kubernetes.io/name: nimbus-signals, which sets the job label")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kubectl", default="kubectl", help="path to kubectl")
    parser.add_argument("--source-dir", required=True, help="repository root")
    args = parser.parse_args()

    source_dir = Path(args.source_dir)
    failures = []
    documents = kustomize(args.kubectl, source_dir / "deploy/monitoring")
    check_rule(documents, source_dir, failures)
    monitor = check_service_monitor(documents, failures)
    check_dashboards(documents, source_dir, failures)
    if monitor is not None:
        check_selector_matches_service(args.kubectl, source_dir, monitor, failures)

    for message in failures:
        print(f"FAIL: {message}")
    if failures:
        print(f"{len(failures)} kustomization check(s) failed")
        return 1
    print(f"kustomization ok: {len(documents)} objects")
    return 0


if __name__ == "__main__":
    sys.exit(main())
