#!/usr/bin/env python3
"""Summarises bench/load.sh measurements: median, min, max and count per scenario and metric.

Usage: bench/load_report.py RESULTS/measurements.tsv
Prints a Markdown table, then the targets with met or missed and by how much.
"""

import csv
import statistics
import sys
from collections import defaultdict

# Targets on the 2-core reference machine, as (scenario, metric, comparison, limit, unit label).
TARGETS = [
    ("default", "ratio_to_nginx", ">=", 0.8, "x nginx"),
    ("default", "pair_p99", "<", 2.0, "ms"),
    ("default", "rss_idle", "<", 20 * 1024, "KiB"),
    ("default", "rss_under_load", "<", 40 * 1024, "KiB"),
    ("startup", "start_to_accept", "<", 50.0, "ms"),
]


def load(path):
    values = defaultdict(list)
    units = {}
    with open(path, newline="") as table:
        for row in csv.DictReader(table, delimiter="\t"):
            key = (row["scenario"], row["metric"])
            values[key].append(float(row["value"]))
            units[key] = row["unit"]
    return values, units


def summary_line(key, samples, unit):
    scenario, metric = key
    median = statistics.median(samples)
    return (f"| {scenario} | {metric} | {median:,.3f} | {min(samples):,.3f} | "
            f"{max(samples):,.3f} | {len(samples)} | {unit} |")


def target_line(target, values):
    scenario, metric, comparison, limit, unit = target
    samples = values.get((scenario, metric))
    if not samples:
        return f"- {scenario} {metric} {comparison} {limit} {unit}: not measured"
    # RSS under load is judged on its worst round; the others on their median.
    value = max(samples) if metric == "rss_under_load" else statistics.median(samples)
    met = value >= limit if comparison == ">=" else value < limit
    margin = (value - limit) / limit * 100
    verdict = "met" if met else "MISSED"
    return (f"- {scenario} {metric} {comparison} {limit:g} {unit}: {value:,.3f} -> {verdict} "
            f"({margin:+.1f}% against the target)")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: load_report.py RESULTS/measurements.tsv")
    values, units = load(sys.argv[1])
    print("| scenario | metric | median | min | max | n | unit |")
    print("|---|---|---:|---:|---:|---:|---|")
    for key in sorted(values):
        print(summary_line(key, values[key], units[key]))
    print()
    print("Targets:")
    for target in TARGETS:
        print(target_line(target, values))


if __name__ == "__main__":
    main()
