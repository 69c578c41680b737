#!/usr/bin/env python3
"""Lint the Grafana dashboards in deploy/monitoring/dashboards.

Each dashboard must be valid JSON with a fixed uid equal to its file name, UTC time, tags and a
`datasource` variable of type datasource. No datasource may be hard-coded, and every variable an
expression uses must be defined. Every expression must parse, which promtool checks by reading
them as recording rules, and may use only metrics from docs/metrics.md, recording rules and
Prometheus' own series."""

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

import monitoring

DATASOURCE_REFERENCES = {"${datasource}", "$datasource"}
UID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
GRAFANA_BUILTINS = {"__rate_interval", "__interval", "__range", "__interval_ms", "__range_s",
                    "__range_ms", "__dashboard", "__from", "__to", "__url_time_range"}

# Metrics each dashboard must chart, so a panel that is dropped by mistake is noticed.
REQUIRED_METRICS = {
    "nimbus-overview": {
        "nimbus_pair_reference_price", "nimbus_pair_aggregate_age_seconds", "nimbus_venue_up",
        "nimbus_venue_fetch_failures_total", "nimbus_http_requests_total",
        "nimbus_http_request_duration_seconds_bucket", "nimbus_actor_restarts_total",
    },
    "nimbus-venue": {
        "nimbus_venue_up", "nimbus_venue_circuit_breaker_state",
        "nimbus_venue_last_success_timestamp_seconds", "nimbus_venue_fetches_total",
        "nimbus_venue_fetch_failures_total", "nimbus_venue_fetch_duration_seconds_bucket",
        "nimbus_venue_quote_age_seconds",
    },
}

# Values that stand in for Grafana variables so that promtool can parse an expression.
VARIABLE_STAND_INS = {"__rate_interval": "5m", "__interval": "1m", "__range": "1h"}


class Failures:
    def __init__(self):
        self.messages = []

    def add(self, message):
        self.messages.append(message)
        print(f"FAIL: {message}", flush=True)


def walk(node, path="$"):
    """Yield (json path, key, value) for every key in a JSON tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield f"{path}.{key}", key, value
            yield from walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}[{index}]")


def check_metadata(name, dashboard, failures, uids):
    uid = dashboard.get("uid")
    if not isinstance(uid, str) or not UID_PATTERN.match(uid):
        failures.add(f"{name}: uid {uid!r} must be a fixed lower-case id of at most 40 characters")
    elif uid != name:
        failures.add(f"{name}: uid {uid!r} must equal the file name {name!r}")
    if uid in uids:
        failures.add(f"{name}: uid {uid!r} is also used by {uids[uid]}")
    uids[uid] = name

    if dashboard.get("id") is not None:
        failures.add(f"{name}: id must be null or absent so Grafana assigns one on import")
    if dashboard.get("timezone") != "utc":
        failures.add(f"{name}: timezone is {dashboard.get('timezone')!r}, expected 'utc'")
    if not dashboard.get("tags"):
        failures.add(f"{name}: add tags so the dashboard can be found by tag")
    if not dashboard.get("title"):
        failures.add(f"{name}: title is missing")


def check_datasources(name, dashboard, failures):
    variables = dashboard.get("templating", {}).get("list", [])
    datasource_variables = [v for v in variables if v.get("name") == "datasource"]
    if not datasource_variables:
        failures.add(f"{name}: no template variable named 'datasource'")
    for variable in datasource_variables:
        if variable.get("type") != "datasource" or variable.get("query") != "prometheus":
            failures.add(f"{name}: the 'datasource' variable must have type 'datasource' and "
                         f"query 'prometheus', got {variable.get('type')!r}/{variable.get('query')!r}")

    if "__inputs" in dashboard:
        failures.add(f"{name}: __inputs is an export-for-sharing artefact; use ${{datasource}}")
    for path, key, value in walk(dashboard):
        if key == "datasource":
            uid = value.get("uid") if isinstance(value, dict) else value
            if uid not in DATASOURCE_REFERENCES:
                failures.add(f"{name}: {path} is {value!r}; reference the datasource as "
                             "${datasource}")
        if key == "datasourceUid" or (isinstance(value, str) and "${DS_" in value):
            failures.add(f"{name}: {path} hard-codes a datasource ({value!r})")


def check_panels(name, dashboard, failures):
    ids = set()
    for panel in monitoring.panels_of(dashboard):
        title = panel.get("title")
        if panel.get("id") in ids:
            failures.add(f"{name}: panel id {panel.get('id')} is used twice")
        ids.add(panel.get("id"))
        if "gridPos" not in panel:
            failures.add(f"{name}: panel {title!r} has no gridPos")
        if panel.get("type") == "row":
            continue
        if not panel.get("targets"):
            failures.add(f"{name}: panel {title!r} has no query")
        if not panel.get("description"):
            failures.add(f"{name}: panel {title!r} has no description")


def check_expressions(name, dashboard, known_series, failures):
    defined = {v.get("name") for v in dashboard.get("templating", {}).get("list", [])}
    used_metrics = set()

    for where, expr in monitoring.dashboard_expressions(dashboard):
        if not expr.strip():
            failures.add(f"{name}: {where} has an empty query")
            continue
        for variable in re.findall(r"\$\{?(\w+)", expr):
            if variable not in defined and variable not in GRAFANA_BUILTINS:
                failures.add(f"{name}: {where} uses ${variable}, which no template variable defines")
        metrics = monitoring.metric_names_in(expr)
        used_metrics |= metrics
        for metric in sorted(metrics - known_series):
            failures.add(f"{name}: {where} uses {metric}, which is neither in "
                         f"{monitoring.METRICS_DOC} nor a recording rule")

    for metric in sorted(REQUIRED_METRICS.get(name, set()) - used_metrics):
        failures.add(f"{name}: no panel charts {metric}")


def with_stand_ins(expr):
    """Replace Grafana variables with values promtool accepts."""
    def replace(match):
        variable = match.group(1) or match.group(2)
        return VARIABLE_STAND_INS.get(variable, "binance")
    return re.sub(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)", replace, expr)


def check_expressions_parse(promtool, dashboards, failures):
    """Write every expression as a recording rule and let promtool parse the file."""
    rules = []
    origins = []
    for name, dashboard in dashboards:
        for where, expr in monitoring.dashboard_expressions(dashboard):
            if expr.strip():
                rules.append({"record": f"dashboard:expression_{len(rules)}:check",
                              "expr": with_stand_ins(expr)})
                origins.append(f"{name}: {where}")

    with tempfile.TemporaryDirectory(prefix="nimbus-dashboards-") as work_dir:
        path = Path(work_dir) / "dashboard-expressions.yaml"
        path.write_text(yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]}),
                        encoding="utf-8")
        result = subprocess.run([promtool, "check", "rules", str(path)], capture_output=True,
                                text=True, timeout=60, check=False)
    if result.returncode != 0:
        output = result.stdout + result.stderr
        for index in sorted({int(i) for i in re.findall(r"group \"dashboards\", rule (\d+)", output)}):
            failures.add(f"{origins[index - 1]}: promtool cannot parse {rules[index - 1]['expr']!r}")
        failures.add(f"promtool check rules on the dashboard expressions failed:\n{output}")
    else:
        print(f"promtool parsed {len(rules)} dashboard expressions")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source-dir", required=True, help="repository root")
    parser.add_argument("--promtool", default="/usr/bin/promtool", help="path to promtool")
    args = parser.parse_args()

    source_dir = Path(args.source_dir)
    failures = Failures()
    _, spec = monitoring.load_rule_spec(source_dir)
    known_series = (monitoring.documented_series(source_dir)
                    | monitoring.recording_rule_names(spec) | monitoring.PROMETHEUS_SERIES)

    dashboards = []
    for path in sorted((source_dir / monitoring.DASHBOARD_DIR).glob("*.json")):
        try:
            dashboards.append((path.stem, json.loads(path.read_text("utf-8"))))
        except ValueError as error:
            failures.add(f"{path.name} is not valid JSON: {error}")
    if not dashboards:
        failures.add(f"no dashboards in {monitoring.DASHBOARD_DIR}")
    for required in sorted(set(REQUIRED_METRICS) - {name for name, _ in dashboards}):
        failures.add(f"dashboard {required}.json is missing")

    uids = {}
    for name, dashboard in dashboards:
        check_metadata(name, dashboard, failures, uids)
        check_datasources(name, dashboard, failures)
        check_panels(name, dashboard, failures)
        check_expressions(name, dashboard, known_series, failures)
    if not Path(args.promtool).exists():
        failures.add(f"promtool not found at {args.promtool}; run scripts/install-deps.sh")
    elif dashboards:
        check_expressions_parse(args.promtool, dashboards, failures)

    if failures.messages:
        print(f"{len(failures.messages)} dashboard check(s) failed")
        return 1
    print(f"dashboards ok: {', '.join(name for name, _ in dashboards)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
