#!/usr/bin/env bash
# Feeds every venue fixture through `nimbus-signals normalise` and checks the printed JSON against
# tests/fixtures/expectations.tsv: exit status, prices as exact text, venue time, error category,
# venue code, transient flag and retry delay. Also fails when a fixture file has no row.
#
# usage: normalise_fixtures_test.sh PATH_TO_NIMBUS_SIGNALS FIXTURES_DIR
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 PATH_TO_NIMBUS_SIGNALS FIXTURES_DIR" >&2
  exit 64
fi
binary=$1
fixtures=$2

if [[ ! -x $binary ]]; then
  echo "normalise_fixtures_test: $binary is not an executable; build the nimbus-signals target" >&2
  exit 1
fi

exec python3 - "$binary" "$fixtures" <<'PYTHON'
import json
import os
import subprocess
import sys

binary, fixtures = sys.argv[1], sys.argv[2]
columns = ["venue", "fixture", "pair", "status", "retry_after", "outcome", "bid", "ask", "last",
           "base_volume_24h", "venue_time", "venue_code", "transient", "retry_after_seconds"]


def expected_rows():
    with open(os.path.join(fixtures, "expectations.tsv"), encoding="utf-8") as table:
        for line in table:
            line = line.rstrip("\n")
            if not line or line.startswith("#") or line.startswith("venue\t"):
                continue
            fields = line.split("\t")
            if len(fields) != len(columns):
                sys.exit(f"expectations.tsv: expected {len(columns)} columns in: {line}")
            yield dict(zip(columns, fields))


def text(value):
    # Numbers arrive as their raw text (parse_float/parse_int below), so "73267.15" is compared
    # exactly as printed. Null and absent values become "-", like the table's empty cells.
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def check(row):
    command = [binary, "normalise", "--venue", row["venue"], "--pair", row["pair"],
               "--status", row["status"]]
    if row["retry_after"] != "-":
        command += ["--retry-after", row["retry_after"]]
    with open(os.path.join(fixtures, row["venue"], row["fixture"]), "rb") as body:
        run = subprocess.run(command, stdin=body, capture_output=True, timeout=30)

    label = f'{row["venue"]}/{row["fixture"]} {row["pair"]}'
    problems = []
    want_exit = 0 if row["outcome"] == "quote" else 2
    if run.returncode != want_exit:
        problems.append(f"exit status {run.returncode}, expected {want_exit}; "
                        f"stderr: {run.stderr.decode(errors='replace').strip()}")
        return label, problems
    try:
        output = json.loads(run.stdout, parse_float=str, parse_int=str)
    except ValueError as error:
        return label, [f"output is not JSON ({error}): {run.stdout!r}"]

    if row["outcome"] == "quote":
        checks = ["bid", "ask", "last", "base_volume_24h", "venue_time"]
        actual = output
    else:
        checks = ["venue_code", "transient", "retry_after_seconds"]
        actual = output.get("error", {})
        if actual.get("category") != row["outcome"]:
            problems.append(f'category {actual.get("category")}, expected {row["outcome"]} '
                            f'(detail: {actual.get("detail")})')
    for key in checks:
        if text(actual.get(key)) != row[key]:
            problems.append(f"{key} {text(actual.get(key))}, expected {row[key]}")
    return label, problems


rows = list(expected_rows())
listed = {(row["venue"], row["fixture"]) for row in rows}
failures = 0
for venue in sorted({row["venue"] for row in rows}):
    for name in sorted(os.listdir(os.path.join(fixtures, venue))):
        if (venue, name) not in listed:
            print(f"FAIL {venue}/{name}: no row in expectations.tsv")
            failures += 1

for row in rows:
    label, problems = check(row)
    if problems:
        failures += 1
        print(f"FAIL {label}: " + "; ".join(problems))

print(f"{len(rows)} fixture rows checked, {failures} failures")
sys.exit(1 if failures else 0)
PYTHON
