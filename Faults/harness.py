#!/usr/bin/env python3
"""Nothing acknowledged is ever lost: money on the line while the service and its database die.

    swift build -c release --scratch-path .build-release --product yachaq
    python3 Faults/harness.py                                  # the full run: 20 kills, 5 crashes
    python3 Faults/harness.py --kills 3 --crashes 1 --binary .build/debug/yachaq   # CI's short run

On a new embedded cluster (a folder of its own), with 200 signed contracts (S/ 500 each, every
tenth S/ 6 so that it is soon paid up):

- 16 clients record payments (1 to 300 céntimos, each with its own Idempotency-Key) and move
  contracts from signed to active, as a real client would: a payment whose answer is lost (a
  reset connection, a 503, a timeout) is sent again with the same key until it gets a final
  answer (201, or 409 when the contract is paid up); every acknowledged write is logged;
- meanwhile the service is killed with SIGKILL `--kills` times at random moments and started
  again, and PostgreSQL is crashed (`pg_ctl stop -m immediate`) `--crashes` times and started
  again (WAL recovery); each time, how long until /health answers 200 is measured;
- then, from the database and through the API: every acknowledged payment is there exactly
  once; no payment is there whose key was never sent; no key answered 409 has a payment; no
  contract has paid less than nothing or more than its amount, nor a paid total other than the
  sum of its payments; every contract's status is where its transitions lead, each step an
  allowed one; every payment and every transition has its audit row; each contract's payments
  listed by the API are exactly those in the database.

Prints the figures (RELIABILITY.md) and exits 1 when any check fails.
"""
import argparse
import atexit
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

CONTRACTS = 200
AMOUNT = 50_000  # S/ 500
SMALL = 600  # every tenth contract: S/ 6, paid up within a few dozen payments, then each refused
PASSWORD = "fault harness password 2026"
MOVES = {"draft": {"signed", "cancelled"}, "signed": {"active", "cancelled"}, "active": {"completed", "terminated"}}


class Service:
    """`yachaq serve` on the data folder, killed and started again at will."""

    def __init__(self, binary, data, port, log):
        self.binary, self.data, self.port, self.log = binary, data, port, log
        self.process = None

    def start(self):
        self.process = subprocess.Popen([self.binary, "serve", "--data-dir", self.data, "--port", str(self.port)],
                                        stdout=self.log, stderr=subprocess.STDOUT)

    def wait_healthy(self, timeout=120):
        """Seconds until /health answers 200."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/health")
                if connection.getresponse().status == 200:
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.05)
        raise SystemExit(f"the service did not become healthy within {timeout} s; see {self.log.name}")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


def as_postgres(arguments):
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + arguments, capture_output=True, text=True)


def psql(data, sql):
    result = subprocess.run(["psql", "-h", data, "-U", "yachaq", "-d", "yachaq", "-v", "ON_ERROR_STOP=1", "-Atqc", sql],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"psql: {result.stderr}")
    return result.stdout.strip()


def pg_ctl():
    return shutil.which("pg_ctl") or sorted(
        f"/usr/lib/postgresql/{v}/bin/pg_ctl" for v in os.listdir("/usr/lib/postgresql"))[-1]


class Client(threading.Thread):
    """Writes until told to stop, retrying each write whose answer it did not get."""

    def __init__(self, port, token, buyer, contracts, log, stop, seed):
        super().__init__(daemon=True)
        self.port, self.token, self.buyer, self.contracts, self.log, self.stop = port, token, buyer, contracts, log, stop
        self.random = random.Random(seed)
        self.connection = None
        self.retries = self.unavailable = 0

    def send(self, method, path, body=None, key=None):
        """(status, body), or None when no answer came."""
        headers = {"Authorization": f"Bearer {self.token}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if key:
            headers["Idempotency-Key"] = key
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            self.connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            response = self.connection.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.connection = None
            return None

    def until_answered(self, method, path, body=None, key=None):
        """Sends again (same key) until an answer that is not 503 or 5xx; gives up only after 5 minutes."""
        deadline = time.monotonic() + 300
        while True:
            answer = self.send(method, path, body, key)
            if answer is not None and answer[0] < 500:
                return answer
            if answer is not None:
                self.unavailable += 1
            if time.monotonic() > deadline:
                return None
            self.retries += 1
            time.sleep(self.random.uniform(0.05, 0.3))

    def run(self):
        while not self.stop.is_set():
            contract = self.random.choice(self.contracts)
            if self.random.random() < 0.9:
                key = str(uuid.uuid4())
                amount = self.random.randint(1, 300)
                self.log("sent", key=key, contract=contract, amount=amount)
                body = {"amount_cents": amount, "paid_on": "2026-03-01", "method": "cash", "payer_organization_id": self.buyer}
                answer = self.until_answered("POST", f"/v1/contracts/{contract}/payments", body, key)
                if answer is None:
                    self.log("unanswered", key=key)
                elif answer[0] == 201:
                    self.log("acknowledged", key=key, id=json.loads(answer[1])["id"], contract=contract, amount=amount)
                elif answer[0] == 409:
                    self.log("refused", key=key, contract=contract)
                else:
                    self.log("unexpected", key=key, status=answer[0], body=answer[1][:300].decode(errors="replace"))
            else:
                answer = self.until_answered("POST", f"/v1/contracts/{contract}/transitions", {"to": "active"})
                if answer is not None and answer[0] == 200:
                    self.log("moved", contract=contract, to="active")
                elif answer is None or answer[0] != 409:
                    self.log("unexpected", contract=contract, status=answer and answer[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build-release/release/yachaq")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--crashes", type=int, default=5)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--gap", type=float, default=3.0, help="mean seconds between two faults")
    parser.add_argument("--min-writes", type=int, default=5000, help="acknowledged writes the run must reach")
    parser.add_argument("--port", type=int, default=0, help="default: a free one")
    parser.add_argument("--keep", action="store_true", help="keep the data folder")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]

    folder = tempfile.mkdtemp(prefix="yachaq-faults-")
    os.chmod(folder, 0o755)
    data = os.path.join(folder, "pg")
    service = None

    def leave_nothing_running():
        """Whatever happens (a failed check, an exception), no service or PostgreSQL stays up."""
        if service is not None and service.process and service.process.poll() is None:
            service.process.kill()
        if os.path.exists(os.path.join(data, "postmaster.pid")):
            as_postgres([pg_ctl(), "stop", "-D", data, "-m", "fast"])

    atexit.register(leave_nothing_running)
    service_log = open(os.path.join(folder, "serve.log"), "w")
    events = []
    lock = threading.Lock()

    def log(kind, **fields):
        with lock:
            events.append((time.monotonic(), kind, fields))

    # The registry: providers, an admin, 200 signed contracts of one community, each with its
    # creation transition and one funding line.
    subprocess.run([binary, "seed", "--providers", "300", "--data-dir", data], check=True, capture_output=True)
    subprocess.run([binary, "user", "create", "--login", "faultadmin", "--role", "admin", "--password-stdin", "--data-dir", data],
                   input=PASSWORD, text=True, check=True, capture_output=True)
    service = Service(binary, data, args.port, service_log)
    service.start()
    service.wait_healthy()
    buyer = psql(data, "INSERT INTO organizations (name, kind, ubigeo) VALUES "
                       "('Comunidad Campesina de la prueba de fallas', 'community', '080101') RETURNING id")
    psql(data, f"""
        WITH made AS (
            INSERT INTO contracts (organization_id, provider_id, title, ubigeo, period, amount_cents, status)
            SELECT '{buyer}', p.id, 'Fault contract ' || n, '080101', daterange('2026-01-01', '2026-12-31', '[]'),
                   CASE WHEN n % 10 = 0 THEN {SMALL} ELSE {AMOUNT} END, 'signed'
            FROM generate_series(1, {CONTRACTS}) n
            CROSS JOIN LATERAL (SELECT id FROM providers ORDER BY id OFFSET n % 300 LIMIT 1) p
            RETURNING id, amount_cents
        ), lines AS (
            INSERT INTO contract_funding (contract_id, source_organization_id, kind, amount_cents, position)
            SELECT id, '{buyer}', 'counterpart_cash', amount_cents, 0 FROM made
        )
        INSERT INTO contract_transitions (contract_id, from_status, to_status) SELECT id, NULL, 'signed' FROM made""")
    contracts = psql(data, f"SELECT id FROM contracts WHERE organization_id = '{buyer}'").split()
    connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
    connection.request("POST", "/v1/auth/login", json.dumps({"login": "faultadmin", "password": PASSWORD}),
                       {"Content-Type": "application/json"})
    token = json.loads(connection.getresponse().read())["token"]

    # The run.
    stop = threading.Event()
    clients = [Client(args.port, token, buyer, contracts, log, stop, seed) for seed in range(args.clients)]
    started = time.monotonic()
    for client in clients:
        client.start()
    faults = ["kill"] * args.kills + ["crash"] * args.crashes
    random.Random(7).shuffle(faults)
    recoveries = {"kill": [], "crash": []}
    for fault in faults:
        time.sleep(random.uniform(0.3, 2 * args.gap - 0.3))
        if fault == "kill":
            service.kill()
            log("fault", what="SIGKILL the service")
            service.start()
        else:
            result = as_postgres([pg_ctl(), "stop", "-D", data, "-m", "immediate"])
            log("fault", what="PostgreSQL stopped -m immediate", detail=result.stderr.strip())
            time.sleep(random.uniform(0.2, 1.5))  # requests meanwhile get 503
            as_postgres([pg_ctl(), "start", "-w", "-D", data, "-l", os.path.join(data, "server.log")])
        recoveries[fault].append(service.wait_healthy())
        print(f"  {fault}: serving again after {recoveries[fault][-1]:.2f} s", flush=True)
    acknowledged = lambda: sum(1 for _, kind, _ in events if kind in ("acknowledged", "moved"))
    while acknowledged() < args.min_writes and time.monotonic() - started < 600:
        time.sleep(0.5)
    stop.set()
    for client in clients:
        client.join(timeout=330)
    elapsed = time.monotonic() - started

    # The checks.
    failures = []

    def check(name, ok, detail=""):
        print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"), flush=True)
        if not ok:
            failures.append(name)

    sent = {f["key"] for _, kind, f in events if kind == "sent"}
    acked = {f["key"]: f for _, kind, f in events if kind == "acknowledged"}
    refused = {f["key"] for _, kind, f in events if kind == "refused"}
    unanswered = [f for _, kind, f in events if kind == "unanswered"]
    unexpected = [f for _, kind, f in events if kind == "unexpected"]
    moved = [f for _, kind, f in events if kind == "moved"]
    stored = {}
    for line in psql(data, f"""
            SELECT k.key || ' ' || coalesce(p.id::text, '-') || ' ' || coalesce(p.amount_cents::text, '-') || ' ' ||
                   coalesce(p.contract_id::text, '-')
            FROM idempotency_keys k LEFT JOIN payments p ON p.id = k.payment_id
            WHERE k.scope = (SELECT id FROM users WHERE login = 'faultadmin')""").splitlines():  # an admin's keys: per user
        key, payment, amount, contract = line.split()
        stored[key] = (payment, amount, contract)
    ours = psql(data, f"SELECT p.id FROM payments p JOIN contracts c ON c.id = p.contract_id WHERE c.organization_id = '{buyer}'").split()
    check("every answer was 201, 409 or a retry", not unexpected and not unanswered, f"{unexpected[:3]} {unanswered[:3]}")
    lost = [k for k, f in acked.items() if stored.get(k, ("-",))[0] != f["id"]]
    check(f"every acknowledged payment is stored, under its key ({len(acked)})", not lost, f"{len(lost)} lost: {lost[:3]}")
    keyed = [v[0] for v in stored.values() if v[0] != "-"]
    doubled = (len(keyed) - len(set(keyed))) + len(set(ours) - set(keyed))
    check("no payment is stored twice: one per key, none without a key", doubled == 0, f"{doubled}")
    foreign = [k for k, v in stored.items() if v[0] != "-" and k not in sent]
    check("no payment is stored whose key was never sent", not foreign, f"{foreign[:3]}")
    wrongly = [k for k in refused if stored.get(k, ("-",))[0] != "-"]
    check(f"no payment is stored for a key answered 409 ({len(refused)})", not wrongly, f"{wrongly[:3]}")
    amounts = [k for k, f in acked.items() if k in stored and (stored[k][1], stored[k][2]) != (str(f["amount"]), f["contract"])]
    check("each stored payment is the amount and contract acknowledged", not amounts, f"{amounts[:3]}")
    balances = psql(data, f"""
        SELECT count(*) FROM contracts c
        LEFT JOIN (SELECT contract_id, sum(amount_cents) AS total FROM payments GROUP BY contract_id) p ON p.contract_id = c.id
        WHERE c.organization_id = '{buyer}'
          AND (c.paid_cents < 0 OR c.paid_cents > c.amount_cents OR c.paid_cents <> coalesce(p.total, 0))""")
    full = psql(data, f"SELECT count(*) FROM contracts WHERE organization_id = '{buyer}' AND paid_cents = amount_cents")
    check(f"no balance below zero or above the amount, each the sum of its payments ({full} contracts paid up)", balances == "0",
          f"{balances} contracts")
    states = psql(data, f"""
        SELECT c.id || ' ' || c.status || ' ' || string_agg(coalesce(t.from_status, '-') || '>' || t.to_status, ',' ORDER BY t.id)
        FROM contracts c JOIN contract_transitions t ON t.contract_id = c.id
        WHERE c.organization_id = '{buyer}' GROUP BY c.id, c.status""").splitlines()
    unexplained = []
    for line in states:
        contract, status, steps = line.split()
        current = None
        for step in steps.split(","):
            before, after = step.split(">")
            if (before == "-" and current is not None) or (before != "-" and (before != current or after not in MOVES.get(before, set()))):
                unexplained.append(line)
            current = after
        if current != status:
            unexplained.append(line)
    check(f"every contract's status is where its transitions lead ({len(states)} contracts, {len(moved)} moves acknowledged)",
          not unexplained and len(states) == CONTRACTS, f"{unexplained[:3]}")
    unaudited = psql(data, f"""
        SELECT (SELECT count(*) FROM payments p JOIN contracts c ON c.id = p.contract_id
                WHERE c.organization_id = '{buyer}'
                  AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'payment' AND a.entity_id = p.id::text))
             + (SELECT count(*) FROM contract_transitions t JOIN contracts c ON c.id = t.contract_id
                WHERE c.organization_id = '{buyer}' AND t.from_status IS NOT NULL
                  AND (SELECT count(*) FROM audit_log a WHERE a.entity = 'contract' AND a.entity_id = t.contract_id::text
                       AND a.action = t.to_status) <> 1)""")
    check("every payment and every transition has its audit row", unaudited == "0", f"{unaudited} without")
    through_api = 0
    mismatched = []
    by_contract = {}
    for key, (payment, _, contract) in stored.items():
        if payment != "-":
            by_contract.setdefault(contract, set()).add(payment)
    for contract in contracts:
        connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
        connection.request("GET", f"/v1/contracts/{contract}/payments", headers={"Authorization": f"Bearer {token}"})
        listed = [item["id"] for item in json.loads(connection.getresponse().read())["items"]]
        through_api += len(listed)
        if sorted(listed) != sorted(by_contract.get(contract, set())):
            mismatched.append(contract)
    check(f"the API lists each contract's payments exactly as stored ({through_api} payments)", not mismatched, f"{mismatched[:3]}")
    writes = len(acked) + len(moved)
    if args.min_writes:
        check(f"at least {args.min_writes} acknowledged writes", writes >= args.min_writes, f"{writes}")

    service.stop()
    retries = sum(c.retries for c in clients)
    unavailable = sum(c.unavailable for c in clients)
    summary = {
        "service kills": args.kills, "database crashes": args.crashes, "clients": args.clients,
        "seconds": round(elapsed, 1), "acknowledged payments": len(acked), "acknowledged moves": len(moved),
        "refused (paid up)": len(refused), "retries": retries, "answers 503 or 5xx": unavailable,
        "found exactly once": len(acked) - len(lost), "lost": len(lost), "doubled": doubled, "unexplained states": len(unexplained),
        "recovery after a kill, s (median / max)": [round(statistics.median(recoveries["kill"]), 2),
                                                     round(max(recoveries["kill"]), 2)] if recoveries["kill"] else None,
        "recovery after a crash, s (median / max)": [round(statistics.median(recoveries["crash"]), 2),
                                                      round(max(recoveries["crash"]), 2)] if recoveries["crash"] else None,
    }
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    leave_nothing_running()
    if args.keep or failures:
        print(f"data and serve.log kept in {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    sys.exit(1 if failures else 0)


main()
