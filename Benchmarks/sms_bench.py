#!/usr/bin/env python3
"""The SMS outbox's throughput: texts handed to a real Kannel per second, and received by its fake SMSC.

    swift build -c release --scratch-path .build-release --product yachaq
    python3 Benchmarks/sms_bench.py --binary .build-release/release/yachaq [--texts 5000] [--runs 3]

Starts `yachaq serve` (its embedded cluster in a new folder) with Kannel (bearerbox, smsbox from
Debian's `kannel`, the handset from `kannel-extras`'s fakesmsc) as its gateway, no quiet hours;
for each run queues N texts to N different numbers in one INSERT (so no per-number limit applies)
and times how long until every one is `sent` (handed to Kannel and accepted), until the handset
has received them all, and until every delivery report is back (`delivered`). Prints a Markdown
table (BENCHMARKS.md).
"""
import argparse
import os
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request

SECRET = "bench-secret"


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def wait_port(port, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on {port}")


def psql(data, sql):
    return subprocess.run(["psql", "-h", data, "-U", "yachaq", "-d", "yachaq", "-v", "ON_ERROR_STOP=1", "-Atqc", sql],
                          capture_output=True, text=True, check=True).stdout.strip()


def kannel(folder, yachaq_port):
    admin, box, handset, sendsms = free_ports(4)
    conf = os.path.join(folder, "kannel.conf")
    with open(conf, "w") as out:
        out.write(f"""group = core
admin-port = {admin}
admin-password = bench
smsbox-port = {box}
box-allow-ip = "127.0.0.1"
log-file = "{folder}/bearerbox.log"
log-level = 2
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = handset
port = {handset}

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {box}
sendsms-port = {sendsms}
log-file = "{folder}/smsbox.log"
log-level = 2
http-request-retry = 5
http-queue-delay = 1

group = sendsms-user
username = yachaq
password = bench
default-sender = 4636
max-messages = 3
concatenation = true
""")
    log = open(os.path.join(folder, "kannel.out"), "w")
    processes = [subprocess.Popen(["bearerbox", conf], stdout=log, stderr=log)]
    wait_port(box)
    processes.append(subprocess.Popen(["smsbox", conf], stdout=log, stderr=log))
    wait_port(sendsms)
    received = open(os.path.join(folder, "handset.log"), "w")
    processes.append(subprocess.Popen(["/usr/lib/kannel/test/fakesmsc", "-H", "127.0.0.1", "-r", str(handset), "-m", "0"],
                                      stdin=subprocess.PIPE, stdout=received, stderr=received))
    return processes, f"http://127.0.0.1:{sendsms}/cgi-bin/sendsms"


def received(folder):
    with open(os.path.join(folder, "handset.log"), errors="replace") as log:
        return sum(1 for line in log if "Got message" in line)


def until(condition, seconds=600):
    start = time.time()
    while not condition():
        if time.time() - start > seconds:
            raise SystemExit("timed out")
        time.sleep(0.02)
    return time.time()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--texts", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="sms-bench-")
    os.chmod(folder, 0o755)  # the embedded cluster runs as `postgres` when this runs as root
    data = os.path.join(folder, "pg")
    (port,) = free_ports(1)
    processes, send_url = kannel(folder, port)
    environment = dict(os.environ, YACHAQ_SMS_URL=send_url, YACHAQ_SMS_USER="yachaq", YACHAQ_SMS_PASSWORD="bench",
                       YACHAQ_SMS_SECRET=SECRET, YACHAQ_SMS_QUIET_HOURS="none", LOG_LEVEL="warning")
    server = subprocess.Popen([args.binary, "serve", "--data-dir", data, "--port", str(port)], env=environment,
                              stdout=open(os.path.join(folder, "serve.log"), "w"), stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).close()
                break
            except OSError:
                if time.time() > deadline:
                    raise SystemExit("yachaq serve did not answer /health")
                time.sleep(0.2)
        rows = []
        for run in range(args.runs):
            before_received = received(folder)
            first = run * args.texts
            start = time.time()
            psql(data, f"INSERT INTO sms_outbox (phone, kind) SELECT '+519' || lpad((n + {first})::text, 8, '0'), 'reply_help' "
                       f"FROM generate_series(1, {args.texts}) n")
            queued = f"SELECT count(*) FROM sms_outbox WHERE status IN ('queued', 'sending')"
            sent = until(lambda: psql(data, queued) == "0")
            arrived = until(lambda: received(folder) - before_received >= args.texts)
            reported = until(lambda: psql(data, "SELECT count(*) FROM sms_outbox WHERE status <> 'delivered'") == "0")
            failed = psql(data, "SELECT count(*) FROM sms_outbox WHERE status = 'failed'")
            time.sleep(2)  # a text sent twice would be at the handset by now
            rows.append((sent - start, arrived - start, reported - start, failed, received(folder) - before_received))
        print("| run | texts | all sent | texts/s handed to Kannel | all at the handset | all reported delivered | failed "
              "| texts the handset received |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for number, (sent, arrived, reported, failed, got) in enumerate(rows, 1):
            print(f"| {number} | {args.texts:,} | {sent:.2f} s | {args.texts / sent:,.0f} | {arrived:.2f} s | {reported:.2f} s "
                  f"| {failed} | {got:,} |")
        print(f"median texts/s: {statistics.median(args.texts / r[0] for r in rows):,.0f}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
