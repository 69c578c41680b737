#!/usr/bin/env python3
"""Check the monitoring rules: promtool check rules, promtool test rules, the alert conventions,
and that the unit tests would notice an alert that never fires or always fires.

The PrometheusRule in deploy/monitoring is the only copy of the rules, so its .spec is written to a
temporary plain rules file that promtool can read, next to copies of deploy/monitoring/tests/*.yaml
(those name the rules file as nimbus-rules.yaml)."""

import argparse
import copy
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

import monitoring

RULES_FILE_NAME = "nimbus-rules.yaml"
RUNBOOK_BASE = "https://github.com/nimbus-signals/nimbus-signals/blob/main/docs/runbooks.md#"
SEVERITIES = {"critical", "warning", "info"}
RECORD_NAME = re.compile(r"^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*:[a-z][a-z0-9_]*$")
PROMTOOL_TIMEOUT_S = 60


class Failures:
    def __init__(self):
        self.messages = []

    def add(self, message):
        self.messages.append(message)
        print(f"FAIL: {message}", flush=True)


def run_promtool(promtool, *args, cwd):
    return subprocess.run([promtool, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=PROMTOOL_TIMEOUT_S, check=False)


def write_rules(spec, directory):
    path = Path(directory) / RULES_FILE_NAME
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def check_promtool(promtool, spec, test_files, work_dir, failures):
    write_rules(spec, work_dir)
    result = run_promtool(promtool, "check", "rules", RULES_FILE_NAME, cwd=work_dir)
    print(result.stdout + result.stderr, end="")
    if result.returncode != 0:
        failures.add(f"promtool check rules exited {result.returncode}")

    result = run_promtool(promtool, "test", "rules", *[path.name for path in test_files],
                          cwd=work_dir)
    print(result.stdout + result.stderr, end="")
    if result.returncode != 0:
        failures.add(f"promtool test rules exited {result.returncode}")


def check_alert_conventions(spec, source_dir, failures):
    anchors = monitoring.markdown_anchors(Path(source_dir) / monitoring.RUNBOOKS_DOC)
    alert_names = set()

    for group, rule in monitoring.rules_of(spec):
        if "alert" not in rule:
            continue
        name = rule["alert"]
        where = f"alert {name} (group {group})"
        if name in alert_names:
            failures.add(f"{where} is defined twice")
        alert_names.add(name)

        if not rule.get("for"):
            failures.add(f"{where} has no 'for'; add one so a single bad scrape cannot page")
        severity = rule.get("labels", {}).get("severity")
        if severity not in SEVERITIES:
            failures.add(f"{where} has severity {severity!r}; use one of {sorted(SEVERITIES)}")

        annotations = rule.get("annotations", {})
        summary = annotations.get("summary", "")
        if not summary or "\n" in summary.strip():
            failures.add(f"{where} needs a one-line summary")
        if "{{" not in annotations.get("description", ""):
            failures.add(f"{where} description is not templated; show $labels or $value")
        runbook = annotations.get("runbook_url", "")
        if not runbook.startswith(RUNBOOK_BASE):
            failures.add(f"{where} runbook_url {runbook!r} does not start with {RUNBOOK_BASE}")
        elif runbook[len(RUNBOOK_BASE):] not in anchors:
            failures.add(f"{where} runbook anchor #{runbook[len(RUNBOOK_BASE):]} is not a heading "
                         f"in {monitoring.RUNBOOKS_DOC}")
    return alert_names


def check_recording_names(spec, failures):
    for group, rule in monitoring.rules_of(spec):
        if "record" in rule and not RECORD_NAME.match(rule["record"]):
            failures.add(f"recording rule {rule['record']} (group {group}) is not named "
                         "level:metric:operations")


def check_metric_names(spec, source_dir, failures):
    known = (monitoring.documented_series(source_dir) | monitoring.recording_rule_names(spec)
             | monitoring.PROMETHEUS_SERIES)
    for group, rule in monitoring.rules_of(spec):
        name = rule.get("alert") or rule.get("record")
        for metric in sorted(monitoring.metric_names_in(rule["expr"]) - known):
            failures.add(f"rule {name} (group {group}) uses {metric}, which is neither in "
                         f"{monitoring.METRICS_DOC} nor a recording rule")


def check_test_coverage(alert_names, test_files, failures):
    firing = set()
    quiet = set()
    for path in test_files:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if document.get("rule_files") != [RULES_FILE_NAME]:
            failures.add(f"{path.name} must list rule_files: [{RULES_FILE_NAME}]")
        for test in document.get("tests", []):
            for case in test.get("alert_rule_test", []):
                (firing if case.get("exp_alerts") else quiet).add(case["alertname"])

    for name in sorted(alert_names):
        if name not in firing:
            failures.add(f"no promtool test shows {name} firing")
        if name not in quiet:
            failures.add(f"no promtool test shows {name} staying quiet")
    for name in sorted((firing | quiet) - alert_names):
        failures.add(f"promtool tests name {name}, which no rule defines")


def with_alert_expr(spec, alert_name, expr):
    mutated = copy.deepcopy(spec)
    for _, rule in monitoring.rules_of(mutated):
        if rule.get("alert") == alert_name:
            rule["expr"] = expr
    return mutated


def check_tests_detect_mutations(promtool, spec, alert_names, test_files, work_dir, failures):
    """Replace each alert by one that never fires, then by one that always fires, and expect the
    unit tests to fail both times. A mutation that passes shows an alert the tests do not pin."""
    mutations = {"never fires": "vector(1) == 2", "always fires": "vector(1)"}
    for name in sorted(alert_names):
        for description, expr in mutations.items():
            write_rules(with_alert_expr(spec, name, expr), work_dir)
            result = run_promtool(promtool, "test", "rules", *[path.name for path in test_files],
                                  cwd=work_dir)
            if result.returncode == 0:
                failures.add(f"promtool tests still pass when {name} {description}")
            else:
                print(f"ok: promtool tests fail when {name} {description}")
    write_rules(spec, work_dir)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--promtool", default="/usr/bin/promtool", help="path to promtool")
    parser.add_argument("--source-dir", required=True, help="repository root")
    args = parser.parse_args()

    if not Path(args.promtool).exists():
        print(f"FAIL: promtool not found at {args.promtool}; run scripts/install-deps.sh")
        return 1

    source_dir = Path(args.source_dir)
    _, spec = monitoring.load_rule_spec(source_dir)
    test_files = sorted((source_dir / "deploy/monitoring/tests").glob("*.yaml"))
    failures = Failures()
    if not test_files:
        failures.add("no promtool unit tests in deploy/monitoring/tests")

    with tempfile.TemporaryDirectory(prefix="nimbus-rules-") as work_dir:
        for path in test_files:
            shutil.copy(path, work_dir)
        copied = [Path(work_dir) / path.name for path in test_files]

        check_promtool(args.promtool, spec, copied, work_dir, failures)
        alert_names = check_alert_conventions(spec, source_dir, failures)
        check_recording_names(spec, failures)
        check_metric_names(spec, source_dir, failures)
        check_test_coverage(alert_names, copied, failures)
        if not failures.messages:
            check_tests_detect_mutations(args.promtool, spec, alert_names, copied, work_dir,
                                         failures)

    if failures.messages:
        print(f"{len(failures.messages)} rule check(s) failed")
        return 1
    print(f"rules ok: {len(alert_names)} alerts, "
          f"{len(monitoring.recording_rule_names(spec))} recording rules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
