#!/usr/bin/env python3
"""Business-flow benchmark for Kiln (informational only: never used as a test assertion).

For each backend (sqlite, then postgres) it starts a fresh `kiln serve` the way bench/http_bench.sh
does (free loopback port, fresh data dir; for postgres a throwaway cluster from
scripts/pg-test-cluster.sh with a new database), logs in as the seeded demo owner, creates one
product and one customer, and then for BENCH_DURATION seconds runs BENCH_CONCURRENCY clients, each
on its own keep-alive connection, repeating the flow

    POST /sales-orders (1-3 lines) -> POST /sales-orders/{id}/confirm -> POST /invoices {sales_order_id}
    -> POST /invoices/{id}/issue -> POST /payments (the whole amount due)

It prints flows/s, requests/s and p50/p99 flow latency per backend. At the end of each run it checks
the ledger: the trial balance sums to zero, the receivable (1200) is 0 because every flow paid its
invoice, and cash (1000) holds exactly what the flows paid. Any non-2xx answer or failed check is
reported and makes the script exit 1.

Usage: bench/flow_bench.py [--backends "sqlite postgres"] [--duration 10] [--concurrency 8]

Environment (flags win over environment):
  KILN_BIN            server binary (default build/kiln, else build-dev/kiln)
  BENCH_BACKENDS      "sqlite postgres" (default), or just one of them
  BENCH_DURATION      seconds of measured flows per backend (default 10)
  BENCH_CONCURRENCY   concurrent clients (default 8)
  BENCH_WARMUP        seconds of warm-up flows per backend, not measured (default 1)
  BENCH_SEED          seed of the random line counts and quantities (default 1)
  PG_BIN              PostgreSQL binaries (default /usr/lib/postgresql/15/bin)
  KILN_HANDLER_THREADS, KILN_IO_THREADS, KILN_DB_POOL_SIZE are passed through to the server unchanged.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG_BIN = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")
CURRENCY = "EUR"
UNIT_PRICE = 1999
TAX_RATES = [0, 1000, 1800]


def log(message):
    print(f"[flow-bench] {message}", file=sys.stderr, flush=True)


class BenchError(Exception):
    pass


def default_binary():
    if os.environ.get("KILN_BIN"):
        return os.path.abspath(os.environ["KILN_BIN"])
    for candidate in ("build/kiln", "build-dev/kiln"):
        path = os.path.join(REPO_ROOT, candidate)
        if os.access(path, os.X_OK):
            return path
    return os.path.join(REPO_ROOT, "build/kiln")


def free_port():
    # Port 0 picks a free port; the small race until kiln binds it is acceptable for a benchmark.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One keep-alive HTTP/1.1 connection with the session token; JSON in, JSON out."""

    def __init__(self, port, token=None):
        self.port = port
        self.token = token
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.requests = 0

    def call(self, method, path, body=None, expect=(200, 201)):
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif method == "POST":
            data = b""
        try:
            self.conn.request(method, "/api/v1" + path, body=data, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
        except (http.client.HTTPException, OSError):
            # The server may close an idle keep-alive connection; reconnect once.
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request(method, "/api/v1" + path, body=data, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
        self.requests += 1
        if response.status not in expect:
            raise BenchError(f"{method} {path} -> {response.status}: {raw[:300].decode(errors='replace')}")
        return json.loads(raw) if raw else None

    def close(self):
        self.conn.close()


class Server:
    """A fresh `kiln serve` on a free port, on SQLite or on a throwaway PostgreSQL cluster."""

    def __init__(self, binary, backend, work):
        self.binary = binary
        self.backend = backend
        self.work = work
        self.process = None
        self.pg_dir = None
        self.port = None
        self.password = f"bench-{int(time.time())}-{random.randrange(1 << 30)}"
        self.log_path = os.path.join(work, f"{backend}-server.log")

    def start(self):
        env = dict(os.environ)
        env.pop("KILN_DATABASE_URL", None)
        if self.backend == "postgres":
            pg_port = free_port()
            self.pg_dir = os.path.join(self.work, "pg")
            log(f"postgres: starting throwaway cluster on 127.0.0.1:{pg_port}")
            subprocess.run(["bash", os.path.join(REPO_ROOT, "scripts/pg-test-cluster.sh"), "start", self.pg_dir,
                            str(pg_port)], check=True, stdout=subprocess.DEVNULL)
            subprocess.run([os.path.join(PG_BIN, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                            f"postgres://kiln:kiln@127.0.0.1:{pg_port}/postgres", "-c", "CREATE DATABASE kiln_bench"],
                           check=True)
            env["KILN_DATABASE_URL"] = f"postgres://kiln:kiln@127.0.0.1:{pg_port}/kiln_bench"
        data_dir = os.path.join(self.work, f"{self.backend}-data")
        os.makedirs(data_dir, exist_ok=True)
        self.port = free_port()
        env.update({"PORT": str(self.port), "KILN_ADDRESS": "127.0.0.1", "KILN_DATA_DIR": data_dir,
                    "KILN_LOG_LEVEL": "warn", "KILN_DEMO_PASSWORD": self.password, "KILN_ENV": "bench"})
        log(f"{self.backend}: starting {self.binary} serve on 127.0.0.1:{self.port}")
        with open(self.log_path, "wb") as server_log:
            self.process = subprocess.Popen([self.binary, "serve"], env=env, stdout=server_log,
                                            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"{self.backend}: server exited during startup:\n{self.tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                conn.request("GET", "/api/v1/health/live")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
                conn.close()
            except OSError:
                pass
            time.sleep(0.1)
        raise BenchError(f"{self.backend}: server did not answer health/live within 30s:\n{self.tail()}")

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def tail(self, lines=40):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def stop(self):
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self.process = None
        if self.pg_dir:
            subprocess.run(["bash", os.path.join(REPO_ROOT, "scripts/pg-test-cluster.sh"), "stop", self.pg_dir],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            self.pg_dir = None


def setup(port, password, backend):
    """Logs in as the demo owner; creates the product and customer every flow uses."""
    client = Client(port)
    login = client.call("POST", "/auth/login", {"email": "owner@demo.kiln.local", "password": password})
    token = login.get("token", "")
    if not token.startswith("kiln_ses_"):
        raise BenchError(f"{backend}: login returned no session token")
    client.token = token
    product = client.call("POST", "/products", {"sku": f"FLOW-{int(time.time())}", "name": "Flow widget",
                                                "unit_price": UNIT_PRICE, "currency": CURRENCY})
    customer = client.call("POST", "/customers", {"name": "Flow customer"})
    client.close()
    return token, product["id"], customer["id"]


def one_flow(client, rng, product_id, customer_id):
    """Order → confirm → invoice → issue → pay in full; returns the amount paid."""
    lines = [{"product_id": product_id, "quantity": rng.randint(1, 5), "tax_rate_bp": rng.choice(TAX_RATES)}
             for _ in range(rng.randint(1, 3))]
    order = client.call("POST", "/sales-orders", {"customer_id": customer_id, "currency": CURRENCY, "lines": lines},
                        expect=(201,))
    client.call("POST", f"/sales-orders/{order['id']}/confirm", expect=(200,))
    invoice = client.call("POST", "/invoices", {"sales_order_id": order["id"]}, expect=(201,))
    issued = client.call("POST", f"/invoices/{invoice['id']}/issue", expect=(200,))
    amount = issued["amount_due"]
    client.call("POST", "/payments", {"invoice_id": invoice["id"], "amount": amount, "currency": CURRENCY,
                                      "method": "cash"}, expect=(201,))
    return amount


class Worker(threading.Thread):
    def __init__(self, index, port, token, product_id, customer_id, warmup_end, end, seed):
        super().__init__(daemon=True)
        self.client = Client(port, token)
        self.rng = random.Random(seed * 1000 + index)
        self.product_id = product_id
        self.customer_id = customer_id
        self.warmup_end = warmup_end
        self.end = end
        self.latencies = []  # seconds, measured flows only
        self.requests = 0  # measured flows only
        self.paid = 0  # every completed flow, warm-up included
        self.error = None

    def run(self):
        try:
            while True:
                start = time.monotonic()
                if start >= self.end:
                    break
                before = self.client.requests
                self.paid += one_flow(self.client, self.rng, self.product_id, self.customer_id)
                done = time.monotonic()
                if start >= self.warmup_end and done <= self.end:
                    self.latencies.append(done - start)
                    self.requests += self.client.requests - before
        except Exception as e:  # noqa: BLE001 - reported with the backend, then the run fails
            self.error = e
        finally:
            self.client.close()


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[index]


def check_ledger(port, token, paid, backend):
    """The trial balance sums to zero, the receivable is 0 and cash holds what the flows paid."""
    client = Client(port, token)
    tb = client.call("GET", "/ledger/trial-balance", expect=(200,))
    client.close()
    balances = {a["account_code"]: a["balance"] for a in tb["accounts"] if a["currency"] == CURRENCY}
    totals = [t for t in tb["totals"] if t["currency"] == CURRENCY]
    problems = []
    if sum(balances.values()) != 0:
        problems.append(f"account balances sum to {sum(balances.values())}, not 0")
    if not totals or totals[0]["debit"] != totals[0]["credit"]:
        problems.append(f"trial balance totals are not balanced: {totals}")
    if balances.get("1200", 0) != 0:
        problems.append(f"receivable 1200 is {balances.get('1200')}, expected 0 after paying every invoice")
    if balances.get("1000", 0) != paid:
        problems.append(f"cash 1000 is {balances.get('1000', 0)}, expected {paid} (the sum of the payments)")
    if problems:
        raise BenchError(f"{backend}: ledger check failed: " + "; ".join(problems))
    return balances


def bench_backend(binary, backend, args, work):
    server = Server(binary, backend, work)
    try:
        server.start()
        token, product_id, customer_id = setup(server.port, server.password, backend)
        log(f"{backend}: {args.concurrency} clients, warm-up {args.warmup}s, measuring {args.duration}s")
        warmup_end = time.monotonic() + args.warmup
        end = warmup_end + args.duration
        workers = [Worker(i, server.port, token, product_id, customer_id, warmup_end, end, args.seed)
                   for i in range(args.concurrency)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        errors = [w.error for w in workers if w.error]
        if errors:
            raise BenchError(f"{backend}: {len(errors)} client(s) failed; first: {errors[0]}")
        if not server.alive():
            raise BenchError(f"{backend}: server died during the run:\n{server.tail()}")
        latencies = sorted(latency for w in workers for latency in w.latencies)
        requests = sum(w.requests for w in workers)
        paid = sum(w.paid for w in workers)
        balances = check_ledger(server.port, token, paid, backend)
        log(f"{backend}: ledger balanced; receivable 0; cash {balances.get('1000', 0)} = paid")
        return {"backend": backend, "flows": len(latencies), "requests": requests,
                "flows_per_s": len(latencies) / args.duration, "requests_per_s": requests / args.duration,
                "p50_ms": percentile(latencies, 50) * 1000, "p99_ms": percentile(latencies, 99) * 1000}
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default=os.environ.get("BENCH_BACKENDS", "sqlite postgres"))
    parser.add_argument("--duration", type=float, default=float(os.environ.get("BENCH_DURATION", "10").rstrip("s")))
    parser.add_argument("--concurrency", "-c", type=int, default=int(os.environ.get("BENCH_CONCURRENCY", "8")))
    parser.add_argument("--warmup", type=float, default=float(os.environ.get("BENCH_WARMUP", "1").rstrip("s")))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("BENCH_SEED", "1")))
    args = parser.parse_args()

    binary = default_binary()
    if not os.access(binary, os.X_OK):
        log(f"ERROR: server binary not found or not executable: {binary} (build it, or set KILN_BIN)")
        return 1
    backends = args.backends.split()
    for b in backends:
        if b not in ("sqlite", "postgres"):
            log(f"ERROR: unknown backend '{b}' (expected sqlite and/or postgres)")
            return 2
        if b == "postgres" and not os.access(os.path.join(PG_BIN, "initdb"), os.X_OK):
            log(f"ERROR: PostgreSQL binaries not found in {PG_BIN} (set PG_BIN)")
            return 2

    work = tempfile.mkdtemp(prefix="kiln-flow-bench.")
    os.chmod(work, 0o711)  # the PG cluster runs as the `postgres` OS user when we are root
    results, failed = [], False
    try:
        for backend in backends:
            try:
                results.append(bench_backend(binary, backend, args, work))
            except (BenchError, subprocess.CalledProcessError) as e:
                log(f"ERROR: {e}")
                failed = True
    finally:
        shutil.rmtree(work, ignore_errors=True)

    cores = os.cpu_count()
    print()
    print(f"Kiln flow benchmark (order -> confirm -> invoice -> issue -> pay): {args.concurrency} clients, "
          f"{args.duration:g}s, {cores} cores, {os.path.basename(binary)}")
    print(f"{'backend':<9} {'flows':>7} {'flows/s':>9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for r in results:
        print(f"{r['backend']:<9} {r['flows']:>7} {r['flows_per_s']:>9.1f} {r['requests_per_s']:>9.1f} "
              f"{r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f}")
    if failed:
        print("\nFAILED: see the errors above.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
