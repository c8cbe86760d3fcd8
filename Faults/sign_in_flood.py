#!/usr/bin/env python3
"""A sign-in flood from a few addresses cannot lock everyone out (issue 27, finding 2).

    python3 Faults/sign_in_flood.py --binary .build/debug/yachaq          # CI: 8 × 4 for 20 s
    python3 Faults/sign_in_flood.py --addresses 16 --threads 8 --seconds 60

`yachaq serve` on a new embedded cluster with one real account. Then, for `--seconds`:

- `--addresses` loopback addresses (127.0.2.1, …) × `--threads` threads each post sign-ins with
  random logins and a wrong password as fast as they are answered (keep-alive connections);
- a real user on 127.0.0.1 signs in with the right password every 250 ms, each time on a new
  connection, as a phone would; refused (429), it tries again after the Retry-After it was
  given, as the sign-in page tells a person to.

Prints what the flood was answered, how many of the real user's sign-ins got in at the first
try, and how long each took to get in (its retries included); exits 1 unless every one got in
with a p99 of at most 2 s.
"""
import argparse
import collections
import http.client
import json
import random
import statistics
import subprocess
import sys
import threading
import time

from serving import serving

PASSWORD = "flood harness password 2026"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/debug/yachaq")
    parser.add_argument("--addresses", type=int, default=8)
    parser.add_argument("--threads", type=int, default=4, help="flooding threads per address")
    parser.add_argument("--seconds", type=float, default=20)
    options = parser.parse_args()

    def prepare(data):
        subprocess.run([options.binary, "seed", "--providers", "10", "--data-dir", data], check=True, capture_output=True)
        subprocess.run([options.binary, "user", "create", "--login", "realuser", "--role", "admin", "--password-stdin",
                        "--data-dir", data], input=PASSWORD, text=True, check=True, capture_output=True)

    with serving(options.binary, "yachaq-sign-in-flood-", prepare=prepare) as (port, _):
        return flood(options, port)


def flood(options, port: int) -> int:
    stop = threading.Event()
    answered = collections.Counter()
    lock = threading.Lock()

    def flooder(address: str, seed: int):
        rng = random.Random(seed)
        connection = None
        while not stop.is_set():
            try:
                connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(address, 0))
                status = post_login(connection, f"flood{rng.randrange(10**9)}", "guess")
            except OSError:
                connection, status = None, "error"
            with lock:
                answered[status] += 1

    threads = [threading.Thread(target=flooder, args=(f"127.0.2.{a + 1}", a * 100 + t), daemon=True)
               for a in range(options.addresses) for t in range(options.threads)]
    for thread in threads:
        thread.start()
    latencies, failures, first_try = [], [], 0
    started = time.monotonic()
    while time.monotonic() - started < options.seconds:
        asked, tries, status = time.monotonic(), 0, None
        while status != 200 and time.monotonic() - asked < 30:
            tries += 1
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status, retry_after = post_login(connection, "realuser", PASSWORD, retry_after=True)
                connection.close()
            except OSError as error:
                status, retry_after = repr(error), "1"
            if status == 429:
                time.sleep(int(retry_after or "1"))
            elif status != 200:
                break
        took = time.monotonic() - asked
        latencies.append(took)
        first_try += status == 200 and tries == 1
        if status != 200:
            failures.append(f"{status} after {took:.2f} s and {tries} tries")
        time.sleep(max(0.0, 0.25 - took))
    stop.set()
    for thread in threads:
        thread.join(timeout=35)

    first = latencies[0]
    latencies.sort()
    p50, p99 = statistics.median(latencies), latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    flood_total = sum(answered.values())
    print(f"flood: {options.addresses} addresses × {options.threads} threads for {options.seconds:.0f} s: {flood_total} sign-ins, "
          + ", ".join(f"{count} × {status}" for status, count in sorted(answered.items(), key=str)))
    print(f"real user: {len(latencies)} sign-ins, {len(latencies) - len(failures)} got in, {first_try} at the first try; "
          f"time to get in: p50 {p50 * 1000:.0f} ms, p90 {latencies[int(len(latencies) * 0.9)] * 1000:.0f} ms, "
          f"p99 {p99 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms (the first: {first * 1000:.0f} ms)")
    for failure in failures[:5]:
        print(f"    {failure}")
    ok = not failures and p99 <= 2.0
    print("sign-in flood: " + ("the real user got in" if ok else "FAILED"))
    return 0 if ok else 1


def post_login(connection: http.client.HTTPConnection, login: str, password: str, retry_after=False):
    connection.request("POST", "/v1/auth/login", json.dumps({"login": login, "password": password}),
                       {"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    if response.getheader("Connection", "").lower() == "close":
        connection.close()
    return (response.status, response.getheader("Retry-After")) if retry_after else response.status


if __name__ == "__main__":
    sys.exit(main())
