#!/usr/bin/env python3
"""Latency of GET /v1/providers on a running service, one client, keep-alive.

Usage: Benchmarks/search_latency.py [base URL] [requests per query]
Prints p50 / p99 / max in milliseconds for each query and for all together.
"""
import http.client
import statistics
import sys
import time
from urllib.parse import urlparse

base = urlparse(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080")
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 200
queries = [
    "/v1/providers",
    "/v1/providers?kind=yachachiq&language=quz&min_speaking=3&skill=water&near=080601&radius_km=50",
    "/v1/providers?language=que&near=210101&radius_km=100",
    "/v1/providers?q=quispe%20mamany",
    "/v1/providers?skill=camelids&gender=female",
    "/v1/providers?language=ayr&kind=yachaq&limit=200",
]
connection = http.client.HTTPConnection(base.hostname, base.port or 80)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


everything = []
print(f"{'query':<100} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7}")
for query in queries:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        connection.request("GET", query)
        response = connection.getresponse()
        response.read()
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status == 200, (query, response.status)
    everything += timings
    print(f"{query:<100} {statistics.median(timings):7.2f} {percentile(timings, 0.99):7.2f} {max(timings):7.2f}")
print(f"{'all':<100} {statistics.median(everything):7.2f} {percentile(everything, 0.99):7.2f} {max(everything):7.2f}")
