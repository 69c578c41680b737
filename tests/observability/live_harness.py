"""Start the exchange simulator, the service and Prometheus on loopback for the live observability
checks, and stop every process started here, by PID, whatever happens.

Every wait polls with a deadline. Each child gets SIGTERM from the kernel if this script dies
first (PR_SET_PDEATHSIG), so a ctest timeout that kills the script leaves no process behind."""

import ctypes
import json
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import yaml

POLL_INTERVAL_S = 0.2
STOP_TIMEOUT_S = 10
HTTP_TIMEOUT_S = 5

# Venues and pairs the generated configuration polls from the simulator.
DEFAULT_VENUES = {
    "coinbase": ["BTC-USD", "ETH-USD"],
    "kraken": ["BTC-USD", "ETH-USD"],
    "bitstamp": ["BTC-USD", "ETH-USD"],
}

_PR_SET_PDEATHSIG = 1


class LiveCheckError(Exception):
    """A failed live check. The message names the wrong value."""


def _die_with_parent():
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def free_loopback_port():
    """Return a port that was free on 127.0.0.1 a moment ago, for programs without port 0 support."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_get(url, timeout=HTTP_TIMEOUT_S):
    """Return (status, body text) of a GET; HTTP error statuses are returned, not raised."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


def wait_for(description, condition, timeout_s, process_group=None):
    """Poll `condition` until it returns a truthy value, which is returned. Raises LiveCheckError
    at the deadline or as soon as a watched process exits."""
    deadline = time.monotonic() + timeout_s
    last_error = None
    while time.monotonic() < deadline:
        if process_group is not None:
            process_group.check_running()
        try:
            result = condition()
            if result:
                return result
        except (OSError, ValueError, KeyError) as error:
            last_error = error
        time.sleep(POLL_INTERVAL_S)
    detail = f" (last error: {last_error})" if last_error else ""
    raise LiveCheckError(f"timed out after {timeout_s} s waiting for {description}{detail}")


class ProcessGroup:
    """The processes one check starts, stopped in reverse order on exit."""

    def __init__(self, work_dir):
        self.work_dir = Path(work_dir)
        self.processes = []  # (name, Popen, log path)

    def __enter__(self):
        # Turn SIGTERM (from ctest or a user) into an exception so that __exit__ still runs.
        signal.signal(signal.SIGTERM, _raise_on_sigterm)
        return self

    def __exit__(self, *exc):
        self.stop_all()
        return False

    def start(self, name, argv):
        log_path = self.work_dir / f"{name}.log"
        log = open(log_path, "wb")
        print(f"starting {name}: {' '.join(str(a) for a in argv)}", flush=True)
        process = subprocess.Popen([str(a) for a in argv], stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
        log.close()
        self.processes.append((name, process, log_path))
        return process

    def check_running(self):
        for name, process, log_path in self.processes:
            if process.poll() is not None:
                raise LiveCheckError(f"{name} (pid {process.pid}) exited with code "
                                     f"{process.returncode}; log:\n{tail(log_path)}")

    def stop_all(self):
        for name, process, _ in reversed(self.processes):
            if process.poll() is not None:
                continue
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
                print(f"stopped {name} (pid {process.pid}), exit code {process.returncode}")
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_TIMEOUT_S)
                print(f"killed {name} (pid {process.pid}): no exit {STOP_TIMEOUT_S} s after SIGTERM")

    def print_logs(self):
        for name, _, log_path in self.processes:
            print(f"---- last lines of {name} log ----\n{tail(log_path)}")


def _raise_on_sigterm(signum, frame):
    raise SystemExit(f"terminated by signal {signum}")


def tail(path, lines=40):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError as error:
        return f"(cannot read {path}: {error})"


def read_port_file(path):
    text = Path(path).read_text().strip()
    return int(text) if text.isdigit() else None


def start_simulator(group, simulator, scenario):
    port_file = group.work_dir / "simulator.port"
    group.start("exchange-simulator", [simulator, "--listen", "127.0.0.1:0", "--port-file",
                                       port_file, "--scenario", scenario])
    port = wait_for("the simulator's port file", lambda: read_port_file(port_file), 30, group)
    return f"http://127.0.0.1:{port}"


def write_service_config(path, simulator_url, venues):
    """Write a service configuration whose venues all poll the simulator.

    Polls are slow on purpose: prices then stay put for seconds at a time, long enough to read
    the same value through the REST API and through a Prometheus scrape."""
    config = {
        "log_level": "info",
        "defaults": {
            "poll_interval_ms": 5000,
            "max_quote_age_ms": 30000,
            "min_venues": 1,
        },
        "venues": {
            # The simulator serves each venue under its own path prefix, because some venues
            # (Binance, MEXC) use the same request path.
            name: {"enabled": True, "base_url": f"{simulator_url}/{name}", "pairs": pairs}
            for name, pairs in venues.items()
        },
    }
    Path(path).write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def start_service(group, service, simulator_url, venues):
    config_path = group.work_dir / "nimbus.yaml"
    write_service_config(config_path, simulator_url, venues)
    port_file = group.work_dir / "service.port"
    group.start("nimbus-signals", [service, "--config", config_path, "--listen", "127.0.0.1:0",
                                   "--port-file", port_file])
    port = wait_for("the service's port file", lambda: read_port_file(port_file), 30, group)
    return f"http://127.0.0.1:{port}"


def find_pair_entries(document):
    """Return {pair: entry} for every JSON object that has a pair name, a price and venues_used,
    wherever /v1/prices nests them (a list of objects with "pair", or a map keyed by pair)."""
    found = {}

    def visit(node, key=None):
        if isinstance(node, dict):
            if "price" in node and "venues_used" in node:
                pair = node.get("pair") or node.get("symbol") or key
                if pair:
                    found[str(pair)] = node
                    return
            for child_key, child in node.items():
                visit(child, child_key)
        elif isinstance(node, list):
            for child in node:
                visit(child, key)

    visit(document)
    return found


def rest_prices(service_url):
    """Return {pair: (price or None, venues_used)} from GET /v1/prices."""
    status, body = http_get(f"{service_url}/v1/prices")
    if status != 200:
        raise LiveCheckError(f"GET /v1/prices returned HTTP {status}: {body[:300]}")
    entries = find_pair_entries(json.loads(body))
    return {pair: (None if entry["price"] is None else float(entry["price"]),
                   int(entry["venues_used"]))
            for pair, entry in entries.items()}


def wait_for_prices(group, service_url, pairs, timeout_s=60):
    """Wait until /v1/prices has a price for every pair."""
    def all_priced():
        prices = rest_prices(service_url)
        return prices if all(prices.get(p, (None, 0))[0] is not None for p in pairs) else None
    return wait_for(f"prices for {sorted(pairs)} in /v1/prices", all_priced, timeout_s, group)


def configured_pairs(venues):
    return sorted({pair for pairs in venues.values() for pair in pairs})


def parse_venues(text):
    """Parse "coinbase=BTC-USD+ETH-USD,kraken=BTC-USD" into {venue: [pairs]}."""
    venues = {}
    for item in filter(None, text.split(",")):
        name, _, pairs = item.partition("=")
        if not pairs:
            raise ValueError(f"invalid venue entry {item!r}; use NAME=PAIR+PAIR")
        venues[name.strip()] = pairs.split("+")
    return venues


def format_venues(venues):
    return ",".join(f"{name}={'+'.join(pairs)}" for name, pairs in venues.items())


def make_work_dir(prefix):
    return tempfile.TemporaryDirectory(prefix=prefix)


def promql_query(prometheus_url, expr):
    """Return the result vector of an instant query through /api/v1/query."""
    url = f"{prometheus_url}/api/v1/query?{urllib.parse.urlencode({'query': expr})}"
    status, body = http_get(url)
    document = json.loads(body)
    if status != 200 or document.get("status") != "success":
        raise LiveCheckError(f"query {expr!r} failed with HTTP {status}: {body[:300]}")
    return document["data"]["result"]

