#!/usr/bin/env python3
"""Check the monitoring against a live scrape of the real service.

Starts the exchange simulator and nimbus-signals on loopback, waits until every configured pair
has a price, then reads GET /metrics and checks that:
  - every metric used by the alert rules, recording rules and dashboards is exposed by the
    service, is a recording rule defined in deploy/monitoring, or is one of Prometheus' own series;
  - every metric in docs/metrics.md is exposed, with the documented type and label names;
  - the request histogram has the le="0.1" bucket that the latency SLO rules read.
"""

import argparse
import sys
from pathlib import Path

import live_harness
import monitoring


def check_rule_and_dashboard_names(source_dir, families, failures):
    _, spec = monitoring.load_rule_spec(source_dir)
    allowed = (monitoring.exposed_series(families) | monitoring.recording_rule_names(spec)
               | monitoring.PROMETHEUS_SERIES)
    uses = monitoring.rule_and_dashboard_metrics(source_dir)
    for metric in sorted(set(uses) - allowed):
        failures.append(f"{metric} is used by {', '.join(sorted(set(uses[metric])))} but the live "
                        "scrape does not expose it")
    print(f"{len(uses)} metric names used by rules and dashboards, "
          f"{len(set(uses) - allowed)} missing from the scrape")


def check_documented_families(source_dir, families, samples, failures):
    documented = monitoring.documented_metrics(source_dir)
    for name, (metric_type, labels) in sorted(documented.items()):
        if name not in families:
            failures.append(f"{name} is documented in {monitoring.METRICS_DOC} but not exposed")
            continue
        if families[name] != metric_type:
            failures.append(f"{name} is exposed as {families[name]}, documented as {metric_type}")
        series = monitoring.series_names(name, metric_type)
        label_sets = {tuple(sorted(set(l) - {"le"})) for s, l, _ in samples if s in series}
        if not label_sets:
            print(f"note: {name} has no sample yet (only # HELP and # TYPE)")
        for label_set in label_sets:
            if label_set != tuple(sorted(labels)):
                failures.append(f"{name} is exposed with labels {list(label_set)}, "
                                f"documented with {sorted(labels)}")
    for name in sorted(set(families) - set(documented)):
        failures.append(f"{name} is exposed but not documented in {monitoring.METRICS_DOC}")


def check_slo_bucket(samples, failures):
    buckets = {labels.get("le") for series, labels, _ in samples
               if series == "nimbus_http_request_duration_seconds_bucket"}
    if "0.1" not in buckets:
        failures.append("nimbus_http_request_duration_seconds_bucket has no le=\"0.1\" bucket "
                        f"(found {sorted(b for b in buckets if b)}); the latency SLO rules need it")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--service", required=True, help="path to nimbus-signals")
    parser.add_argument("--simulator", required=True, help="path to exchange-simulator")
    parser.add_argument("--source-dir", required=True, help="repository root")
    parser.add_argument("--scenario", default="demo", help="simulator scenario")
    parser.add_argument("--venues", default=live_harness.format_venues(live_harness.DEFAULT_VENUES),
                        help="venues and pairs to configure, as NAME=PAIR+PAIR,NAME=PAIR")
    args = parser.parse_args()

    source_dir = Path(args.source_dir)
    venues = live_harness.parse_venues(args.venues)
    failures = []

    with live_harness.make_work_dir("nimbus-live-names-") as work_dir, \
            live_harness.ProcessGroup(work_dir) as group:
        try:
            simulator_url = live_harness.start_simulator(group, args.simulator, args.scenario)
            service_url = live_harness.start_service(group, args.service, simulator_url, venues)
            live_harness.wait_for_prices(group, service_url, live_harness.configured_pairs(venues))

            # One API request, so the request counter and histogram have a child to show.
            live_harness.http_get(f"{service_url}/v1/prices")
            status, text = live_harness.http_get(f"{service_url}/metrics")
            if status != 200:
                raise live_harness.LiveCheckError(f"GET /metrics returned HTTP {status}")
            families, samples = monitoring.parse_exposition(text)

            check_rule_and_dashboard_names(source_dir, families, failures)
            check_documented_families(source_dir, families, samples, failures)
            check_slo_bucket(samples, failures)
        except live_harness.LiveCheckError as error:
            failures.append(str(error))
        if failures:
            group.print_logs()

    for message in failures:
        print(f"FAIL: {message}")
    if failures:
        print(f"{len(failures)} live metric check(s) failed")
        return 1
    print("live metric names ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
