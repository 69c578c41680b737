#!/usr/bin/env python3
"""Scrape the real service with a real Prometheus and compare what Prometheus stores with the REST
API.

Starts the exchange simulator, nimbus-signals (venues pointed at the simulator) and Debian's
prometheus binary, all on 127.0.0.1, with a generated prometheus.yml (scrape interval 1 s) that
also loads the recording and alerting rules from deploy/monitoring. Then it checks that:
  - Prometheus scrapes the service (up == 1) and loaded every rule;
  - for every pair, nimbus_pair_reference_price and nimbus_pair_venues_used in Prometheus equal
    price and venues_used in GET /v1/prices. Prices move, so a pair is compared only when
    /v1/prices gives the same values before and after a scrape that started after the first read;
  - the recording rules produce series for every configured venue;
  - NimbusMetricsAbsent is not active while the service is scraped;
  - `promtool check metrics` prints nothing for a scrape of /metrics.
"""

import argparse
import json
import math
import subprocess
import sys
import time
from pathlib import Path

import yaml

import live_harness
import monitoring

JOB = "nimbus-signals"
PRICE_RELATIVE_TOLERANCE = 1e-9  # decimal text in JSON versus a double in the exposition
COMPARE_TIMEOUT_S = 90


def write_prometheus_config(work_dir, service_url, source_dir):
    _, spec = monitoring.load_rule_spec(source_dir)
    rules_path = work_dir / "nimbus-rules.yaml"
    rules_path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")

    config = {
        "global": {"scrape_interval": "1s", "scrape_timeout": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(rules_path)],
        "scrape_configs": [{
            "job_name": JOB,
            "static_configs": [{"targets": [service_url.removeprefix("http://")]}],
        }],
    }
    config_path = work_dir / "prometheus.yml"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config_path, sum(1 for _ in monitoring.rules_of(spec))


def start_prometheus(group, prometheus, config_path, work_dir):
    port = live_harness.free_loopback_port()
    storage = work_dir / "prometheus-data"
    group.start("prometheus", [prometheus, f"--config.file={config_path}",
                               f"--storage.tsdb.path={storage}",
                               f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"])
    url = f"http://127.0.0.1:{port}"
    live_harness.wait_for("Prometheus to be ready",
                          lambda: live_harness.http_get(f"{url}/-/ready")[0] == 200, 60, group)
    return url


def check_rules_loaded(prometheus_url, expected_count, failures):
    status, body = live_harness.http_get(f"{prometheus_url}/api/v1/rules")
    groups = json.loads(body)["data"]["groups"] if status == 200 else []
    loaded = sum(len(group["rules"]) for group in groups)
    unhealthy = [rule["name"] for group in groups for rule in group["rules"]
                 if rule.get("health") == "err"]
    if loaded != expected_count:
        failures.append(f"Prometheus loaded {loaded} rules, deploy/monitoring defines "
                        f"{expected_count}")
    if unhealthy:
        failures.append(f"rules failing to evaluate: {unhealthy}")


def by_pair(result):
    return {sample["metric"].get("pair"): float(sample["value"][1]) for sample in result}


def latest_scrape_time(prometheus_url):
    result = live_harness.promql_query(prometheus_url, f'timestamp(up{{job="{JOB}"}})')
    return float(result[0]["value"][1]) if result else 0.0


def compare_once(group, service_url, prometheus_url, pairs, matched, mismatches):
    """Read the REST API, wait for a newer scrape, query Prometheus, read the REST API again and
    compare the pairs whose REST values did not move in between."""
    before = live_harness.rest_prices(service_url)
    read_at = time.time()
    live_harness.wait_for("a scrape that started after the REST read",
                          lambda: latest_scrape_time(prometheus_url) > read_at, 15, group)
    prices = by_pair(live_harness.promql_query(
        prometheus_url, f'nimbus_pair_reference_price{{job="{JOB}"}}'))
    venues_used = by_pair(live_harness.promql_query(
        prometheus_url, f'nimbus_pair_venues_used{{job="{JOB}"}}'))
    after = live_harness.rest_prices(service_url)

    for pair in sorted(set(pairs) - set(matched)):
        if before.get(pair) != after.get(pair) or before.get(pair, (None, 0))[0] is None:
            continue  # the price moved during the scrape, or there is none yet
        rest_price, rest_used = before[pair]
        stored_price = prices.get(pair)
        stored_used = venues_used.get(pair)
        if stored_price is not None and stored_used is not None and \
                math.isclose(stored_price, rest_price, rel_tol=PRICE_RELATIVE_TOLERANCE) and \
                stored_used == rest_used:
            matched[pair] = (rest_price, rest_used)
        else:
            mismatches.setdefault(pair, []).append(
                f"REST price {rest_price!r} venues_used {rest_used}, Prometheus "
                f"nimbus_pair_reference_price {stored_price!r} nimbus_pair_venues_used {stored_used}")


def compare_prices(group, service_url, prometheus_url, pairs, failures):
    matched = {}
    mismatches = {}
    deadline = time.monotonic() + COMPARE_TIMEOUT_S
    while set(pairs) - set(matched) and time.monotonic() < deadline:
        compare_once(group, service_url, prometheus_url, pairs, matched, mismatches)

    for pair, (price, used) in sorted(matched.items()):
        print(f"{pair}: Prometheus and /v1/prices agree on price {price} and venues_used {used}")
    for pair in sorted(set(pairs) - set(matched)):
        seen = mismatches.get(pair)
        if seen:
            failures.append(f"{pair}: Prometheus never matched /v1/prices while the price held "
                            f"still; last comparison: {seen[-1]}")
        else:
            failures.append(f"{pair}: the REST price moved during every scrape for "
                            f"{COMPARE_TIMEOUT_S} s, so no comparison was possible")


def check_recording_rules(group, prometheus_url, venues, failures):
    expr = f'venue:nimbus_venue_fetches:rate5m{{job="{JOB}"}}'

    def every_venue_recorded():
        recorded = {s["metric"].get("venue") for s in live_harness.promql_query(prometheus_url, expr)}
        return recorded if recorded >= set(venues) else None
    try:
        live_harness.wait_for(f"{expr} for venues {sorted(venues)}", every_venue_recorded, 30, group)
    except live_harness.LiveCheckError as error:
        failures.append(str(error))


def check_absent_alert_quiet(group, prometheus_url, failures):
    expr = 'ALERTS{alertname="NimbusMetricsAbsent"}'
    try:
        live_harness.wait_for(f"{expr} to clear while the service is scraped",
                              lambda: not live_harness.promql_query(prometheus_url, expr), 20, group)
    except live_harness.LiveCheckError as error:
        failures.append(str(error))


def check_promtool_metrics(promtool, service_url, failures):
    status, text = live_harness.http_get(f"{service_url}/metrics")
    if status != 200:
        failures.append(f"GET /metrics returned HTTP {status}")
        return
    result = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True,
                            text=True, timeout=60, check=False)
    output = result.stdout + result.stderr
    if output or result.returncode != 0:
        failures.append(f"promtool check metrics exited {result.returncode} and printed:\n{output}")
    else:
        print(f"promtool check metrics: no findings on a {len(text)}-byte scrape")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--service", required=True, help="path to nimbus-signals")
    parser.add_argument("--simulator", required=True, help="path to exchange-simulator")
    parser.add_argument("--prometheus", default="/usr/bin/prometheus", help="path to prometheus")
    parser.add_argument("--promtool", default="/usr/bin/promtool", help="path to promtool")
    parser.add_argument("--source-dir", required=True, help="repository root")
    parser.add_argument("--scenario", default="demo", help="simulator scenario")
    parser.add_argument("--venues", default=live_harness.format_venues(live_harness.DEFAULT_VENUES),
                        help="venues and pairs to configure, as NAME=PAIR+PAIR,NAME=PAIR")
    args = parser.parse_args()

    for tool in (args.prometheus, args.promtool):
        if not Path(tool).exists():
            print(f"FAIL: {tool} not found; run scripts/install-deps.sh")
            return 1

    source_dir = Path(args.source_dir)
    venues = live_harness.parse_venues(args.venues)
    pairs = live_harness.configured_pairs(venues)
    failures = []

    with live_harness.make_work_dir("nimbus-prometheus-") as work_name, \
            live_harness.ProcessGroup(work_name) as group:
        work_dir = Path(work_name)
        try:
            simulator_url = live_harness.start_simulator(group, args.simulator, args.scenario)
            service_url = live_harness.start_service(group, args.service, simulator_url, venues)
            live_harness.wait_for_prices(group, service_url, pairs)

            config_path, rule_count = write_prometheus_config(work_dir, service_url, source_dir)
            prometheus_url = start_prometheus(group, args.prometheus, config_path, work_dir)
            live_harness.wait_for(
                f'up{{job="{JOB}"}} == 1',
                lambda: live_harness.promql_query(prometheus_url, f'up{{job="{JOB}"}} == 1'),
                30, group)

            check_rules_loaded(prometheus_url, rule_count, failures)
            compare_prices(group, service_url, prometheus_url, pairs, failures)
            check_recording_rules(group, prometheus_url, venues, failures)
            check_absent_alert_quiet(group, prometheus_url, failures)
            check_promtool_metrics(args.promtool, service_url, failures)
        except live_harness.LiveCheckError as error:
            failures.append(str(error))
        if failures:
            group.print_logs()

    for message in failures:
        print(f"FAIL: {message}")
    if failures:
        print(f"{len(failures)} Prometheus check(s) failed")
        return 1
    print("Prometheus scrape ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
