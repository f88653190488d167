#!/usr/bin/env python3
"""A minimal OTLP/HTTP sink for benchmarks: answers 200 to every POST and counts exports and spans.

Usage: otlp_sink.py PORT STATS_FILE   (the stats file is rewritten after every export)
"""
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, stats_path = int(sys.argv[1]), sys.argv[2]
totals = {"exports": 0, "spans": 0}
last_write = [0.0]


def write_stats():
    with open(stats_path, "w") as f:
        f.write(f"{totals['exports']} exports, {totals['spans']} spans")


def stop(*_):
    write_stats()
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        # Counted without parsing: the sink shares the machine with the server it measures.
        totals["spans"] += body.count(b'"spanId"')
        totals["exports"] += 1
        if time.monotonic() - last_write[0] > 1:  # not per export: the sink shares the CPUs
            last_write[0] = time.monotonic()
            write_stats()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Sink).serve_forever()
