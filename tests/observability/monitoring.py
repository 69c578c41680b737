"""Shared helpers for the observability checks: reading the PrometheusRule, the dashboards and
docs/metrics.md, and pulling metric names out of PromQL expressions."""

import json
import re
from pathlib import Path

import yaml

RULE_FILE = Path("deploy/monitoring/prometheusrule.yaml")
DASHBOARD_DIR = Path("deploy/monitoring/dashboards")
METRICS_DOC = Path("docs/metrics.md")
RUNBOOKS_DOC = Path("docs/runbooks.md")

# Series that Prometheus itself produces for every scrape target or rule.
PROMETHEUS_SERIES = {"up", "scrape_duration_seconds", "scrape_samples_scraped", "ALERTS",
                     "ALERTS_FOR_STATE"}

# PromQL words that look like metric names but are functions, operators or modifiers.
PROMQL_KEYWORDS = {
    "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right",
    "offset", "bool", "atan2", "inf", "nan", "start", "end",
    "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
    "bottomk", "topk", "quantile",
}

# Template variables that Grafana expands inside expressions, such as $__rate_interval.
_GRAFANA_VARIABLE = re.compile(r"\$\{[^}]*\}|\$\w+|\[\[\w+\]\]")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_MATCHERS = re.compile(r"\{[^{}]*\}")
_RANGE = re.compile(r"\[[^\]]*\]")
# by (...), without (...), on (...), ignoring (...), group_left (...), group_right (...)
_LABEL_LIST = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_IDENTIFIER = re.compile(r"(?<![\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w:])")


def metric_names_in(expr):
    """Return the metric names an expression selects, ignoring functions, keywords and labels."""
    text = _GRAFANA_VARIABLE.sub("1", expr)
    text = _STRING.sub('""', text)
    text = _MATCHERS.sub("", text)
    text = _RANGE.sub("", text)
    text = _LABEL_LIST.sub(r"\1", text)

    names = set()
    for match in _IDENTIFIER.finditer(text):
        word = match.group(1)
        following = text[match.end():].lstrip()
        if following.startswith("("):
            continue  # a function call such as rate( or histogram_quantile(
        if word.lower() in PROMQL_KEYWORDS:
            continue
        if re.fullmatch(r"\d+[smhdwy]?", word):
            continue
        names.add(word)

    # A bare {__name__="..."} selector names its metric in a matcher.
    for name in re.findall(r'__name__\s*=\s*"([^"]+)"', expr):
        names.add(name)
    return names


def load_rule_spec(source_dir):
    """Return the PrometheusRule document and its spec (the plain rules-file content)."""
    with open(Path(source_dir) / RULE_FILE, encoding="utf-8") as stream:
        document = yaml.safe_load(stream)
    if document.get("kind") != "PrometheusRule":
        raise ValueError(f"{RULE_FILE} has kind {document.get('kind')!r}, expected PrometheusRule")
    return document, document["spec"]


def rules_of(spec):
    """Yield (group name, rule) for every rule in a rules spec."""
    for group in spec.get("groups", []):
        for rule in group.get("rules", []):
            yield group["name"], rule


def recording_rule_names(spec):
    return {rule["record"] for _, rule in rules_of(spec) if "record" in rule}


def documented_metrics(source_dir):
    """Return {name: (type, [labels])} from the table rows of docs/metrics.md."""
    row = re.compile(r"^\|\s*`([a-z_:][a-z0-9_:]*)`\s*\|\s*(counter|gauge|histogram)\s*\|([^|]*)\|")
    metrics = {}
    for line in (Path(source_dir) / METRICS_DOC).read_text(encoding="utf-8").splitlines():
        match = row.match(line)
        if match:
            labels = re.findall(r"`([a-zA-Z_][a-zA-Z0-9_]*)`", match.group(3))
            metrics[match.group(1)] = (match.group(2), labels)
    return metrics


def series_names(name, metric_type):
    """Return the series names a family exposes: histograms add _bucket, _sum and _count."""
    if metric_type == "histogram":
        return {name + "_bucket", name + "_sum", name + "_count"}
    return {name}


def documented_series(source_dir):
    names = set()
    for name, (metric_type, _) in documented_metrics(source_dir).items():
        names |= series_names(name, metric_type)
    return names


def markdown_anchors(path):
    """Return the GitHub-style anchors of the headings in a Markdown file."""
    anchors = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        match = re.match(r"^#{1,6}\s+(.*)$", line)
        if match:
            title = match.group(1).strip().lower()
            title = re.sub(r"[^\w\- ]", "", title)
            anchors.add(title.replace(" ", "-"))
    return anchors


def load_dashboards(source_dir):
    """Return [(path, parsed JSON)] for every dashboard file."""
    directory = Path(source_dir) / DASHBOARD_DIR
    return [(path, json.loads(path.read_text(encoding="utf-8")))
            for path in sorted(directory.glob("*.json"))]


def panels_of(dashboard):
    """Yield every panel, including those nested in collapsed rows."""
    for panel in dashboard.get("panels", []):
        yield panel
        yield from panel.get("panels", [])


def dashboard_expressions(dashboard):
    """Yield (where, expression) for every PromQL query in panels and template variables."""
    for panel in panels_of(dashboard):
        for target in panel.get("targets", []):
            if "expr" in target:
                yield f"panel {panel.get('title')!r}", target["expr"]
    for variable in dashboard.get("templating", {}).get("list", []):
        if variable.get("type") != "query":
            continue
        query = variable.get("query")
        if isinstance(query, dict):
            query = query.get("query", "")
        yield f"variable {variable.get('name')!r}", label_values_selector(query or "")


def label_values_selector(query):
    """Return the selector of label_values(selector, label), or the query for other forms."""
    match = re.fullmatch(r"\s*label_values\((.*),\s*\w+\s*\)\s*", query, re.DOTALL)
    return match.group(1) if match else query


_SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+(-?\d+))?$")
_LABEL_PAIR = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_exposition(text):
    """Parse the text format 0.0.4 into ({family: type}, [(series, {label: value}, value)]).

    Label values keep their escapes; this is enough to compare names, labels and numbers."""
    families = {}
    samples = []
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            parts = line.split()
            families[parts[2]] = parts[3]
            continue
        if not line.strip() or line.startswith("#"):
            continue
        match = _SAMPLE.match(line)
        if not match:
            raise ValueError(f"cannot parse exposition line {line!r}")
        labels = dict(_LABEL_PAIR.findall(match.group(2) or ""))
        samples.append((match.group(1), labels, float(match.group(3))))
    return families, samples


def exposed_series(families):
    """Return every series name the families declare, histogram suffixes included."""
    names = set()
    for name, metric_type in families.items():
        names |= series_names(name, metric_type)
    return names


def rule_and_dashboard_metrics(source_dir):
    """Return {metric: [where it is used]} over the alert rules, recording rules and dashboards."""
    uses = {}
    _, spec = load_rule_spec(source_dir)
    for group, rule in rules_of(spec):
        where = f"rule {rule.get('alert') or rule.get('record')}"
        for metric in metric_names_in(rule["expr"]):
            uses.setdefault(metric, []).append(where)
    for path, dashboard in load_dashboards(source_dir):
        for where, expr in dashboard_expressions(dashboard):
            for metric in metric_names_in(expr):
                uses.setdefault(metric, []).append(f"{path.name} {where}")
    return uses
