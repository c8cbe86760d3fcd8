#!/usr/bin/env python3
"""Slow and half-open clients cannot take the service from anyone else (issue 27, finding 1).

    python3 Faults/slow_clients.py --binary .build/debug/yachaq      # CI: 5,000 sockets
    python3 Faults/slow_clients.py --sockets 20000 --addresses 20   # more, from more addresses

`yachaq serve` on a new embedded cluster, its limit of open files lowered to `--open-files`
(2,048), so its connection caps are the ones it derives: the total lowered to the limit less
256, and 256 per address. Then:

1. `--sockets` connections (5,000) from `--addresses` loopback addresses (127.0.1.1, …), each
   sending a request line and one header and then nothing (a slow-loris client, half-open);
   every 2 s each of them sends one more header line, as slow clients do to stay open;
2. meanwhile a normal client on 127.0.0.1 asks `/health/live` and a district every 100 ms; none
   may fail, and while the sockets are held every answer must come within 1 s (the figures
   while the attack is still connecting, thousands of connections a second, are printed too);
3. how many descriptors the service holds at the peak (from /proc), and how long after the last
   socket connected until the service holds no more than before the attack (the idle timeout).

Prints the figures (RELIABILITY.md) and exits 1 when a normal request failed or, while the
sockets were held, took a second or more, or the sockets were not shed within 20 s (the idle
timeout is 10 s).
"""
import argparse
import http.client
import os
import resource
import socket
import statistics
import sys
import threading
import time

from serving import serving

HEAD = b"GET /v1/providers HTTP/1.1\r\nHost: localhost\r\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/debug/yachaq")
    parser.add_argument("--sockets", type=int, default=5000)
    parser.add_argument("--addresses", type=int, default=5)
    parser.add_argument("--open-files", type=int, default=2048, help="the service's limit of open files")
    options = parser.parse_args()

    # The attacker's own sockets need descriptors of their own.
    wanted = options.sockets + 1024
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, max(hard, wanted)))

    with serving(options.binary, "yachaq-slow-clients-", open_files=options.open_files) as (port, pid):
        baseline = descriptors(pid)
        print(f"service: pid {pid}, {options.open_files} open files at most, {baseline} descriptors open", flush=True)
        return attack(options, port, pid, baseline)


def attack(options, port: int, pid: int, baseline: int) -> int:
    stop = threading.Event()
    normal = NormalClient(port, stop)
    normal.start()
    started = time.monotonic()
    normal.phase = "connecting"
    sockets, refused = [], 0
    for index in range(options.sockets):
        source = f"127.0.1.{index % options.addresses + 1}"
        attacker = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        attacker.settimeout(2)
        try:
            attacker.bind((source, 0))
            attacker.connect(("127.0.0.1", port))
            attacker.sendall(HEAD)
            sockets.append(attacker)
        except OSError:
            refused += 1
            attacker.close()
    opened = time.monotonic() - started
    normal.phase = "holding"
    peak = descriptors(pid)
    print(f"attack: {len(sockets)} sockets connected from {options.addresses} addresses in {opened:.1f} s "
          f"({refused} not connected); the service holds {peak} descriptors", flush=True)

    # Trickle a header line every 2 s (a head that never ends is still idle) until the service
    # holds no more descriptors than before the attack, or for a minute.
    trickled, shed, last_trickle = 0, None, time.monotonic()
    while time.monotonic() - started - opened < 60:
        held = descriptors(pid)
        peak = max(peak, held)
        if held <= baseline + 5:
            shed = time.monotonic() - started - opened
            break
        if time.monotonic() - last_trickle >= 2:
            last_trickle = time.monotonic()
            for attacker in sockets:
                try:
                    attacker.send(b"X-Trickle: 1\r\n", socket.MSG_DONTWAIT)
                    trickled += 1
                except OSError:
                    pass
        time.sleep(0.1)
    stop.set()
    normal.join()
    still_open = sum(1 for attacker in sockets if is_open(attacker))
    for attacker in sockets:
        attacker.close()

    failures = normal.failures
    print(f"held: at most {peak - baseline} connections at once; {trickled} header lines trickled; "
          f"{still_open} of {len(sockets)} attacking sockets still open at the end")
    print(f"shed: {'not within a minute' if shed is None else f'{shed:.1f} s'} after the last socket connected "
          f"(descriptors back to {baseline} + 5)")
    for phase in ("connecting", "holding"):
        latencies = sorted(normal.latencies[phase])
        if latencies:
            p50, p99 = statistics.median(latencies), latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
            print(f"normal client while the attack is {phase}: {len(latencies)} answers, p50 {p50 * 1000:.1f} ms, "
                  f"p99 {p99 * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms")
    print(f"normal client: {len(failures)} failed")
    for failure in failures[:5]:
        print(f"    {failure}")
    holding = normal.latencies["holding"]
    ok = holding and max(holding) < 1.0 and not failures and shed is not None and shed < 20
    print("slow clients: " + ("held off" if ok else "FAILED"))
    return 0 if ok else 1


class NormalClient(threading.Thread):
    """Asks like a user would, from 127.0.0.1, every 100 ms, on a new connection each time."""

    def __init__(self, port: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.port, self.stop = port, stop
        self.phase = "connecting"
        self.latencies, self.failures = {"connecting": [], "holding": []}, []

    def run(self):
        paths = ["/health/live", "/v1/districts/080101"]
        index = 0
        while not self.stop.is_set():
            path = paths[index % len(paths)]
            index += 1
            started, phase = time.monotonic(), self.phase
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                connection.close()
                if response.status != 200:
                    self.failures.append(f"{path}: {response.status}")
                else:
                    self.latencies[phase].append(time.monotonic() - started)
            except OSError as error:
                self.failures.append(f"{path}: {error!r} after {time.monotonic() - started:.1f} s")
            time.sleep(0.1)


def descriptors(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def is_open(attacker: socket.socket) -> bool:
    try:
        return attacker.recv(1, socket.MSG_DONTWAIT | socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
