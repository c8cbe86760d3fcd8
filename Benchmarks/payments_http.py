#!/usr/bin/env python3
"""Payment writes through HTTP with wrk, beside the same transaction run by pgbench.

    yachaq seed --providers 1000 --data-dir D
    echo PW | yachaq user create --login benchadmin --role admin --password-stdin --data-dir D
    yachaq serve --data-dir D --port 8099 &          # a release build
    python3 Benchmarks/payments_http.py http://127.0.0.1:8099 TOKEN D [--contracts 1,1000] [--clients 1,16] [--seconds 15]

TOKEN: the admin's bearer token. Makes (once) 1,000 signed contracts of S/ 100 million funded
by one organisation, then for each number of contracts and of clients: wrk posting payments of
1 céntimo, each with a new Idempotency-Key, to contracts in rotation; and pgbench running the
transaction the service runs, statement for statement (claim the key; lock the contract and
find its line; insert the payment, whose trigger moves the paid totals, with the key's mark and
the audit row; COMMIT). Prints
p50/p99 and writes/s of both and their ratio (BENCHMARKS.md).
"""
import argparse
import glob
import os
import re
import statistics
import subprocess
import tempfile
import time

CONTRACTS = 1000
AMOUNT = 10_000_000_000  # S/ 100 million: far more céntimos than any run writes


def psql(data, sql):
    return subprocess.run(["psql", "-h", data, "-U", "yachaq", "-d", "yachaq", "-v", "ON_ERROR_STOP=1", "-Atqc", sql],
                          capture_output=True, text=True, check=True).stdout.strip()


def prepare(data):
    """The buyer, 1,000 benchmark contracts and the table pgbench picks them from; returns the buyer's id."""
    buyer = psql(data, "SELECT id FROM organizations WHERE name = 'Comunidad de referencia (benchmark)'")
    if not buyer:
        buyer = psql(data, "INSERT INTO organizations (name, kind, ubigeo) VALUES "
                           "('Comunidad de referencia (benchmark)', 'community', '080101') RETURNING id")
    if psql(data, "SELECT to_regclass('bench_contracts') IS NULL") == "t":
        psql(data, f"""
            BEGIN;
            CREATE TABLE bench_contracts (n integer PRIMARY KEY, id uuid NOT NULL);
            WITH made AS (
                INSERT INTO contracts (organization_id, provider_id, title, ubigeo, period, amount_cents, status)
                SELECT '{buyer}', p.id, 'Benchmark contract ' || n, '080101', daterange('2026-01-01', '2026-12-31', '[]'), {AMOUNT}, 'signed'
                FROM generate_series(1, {CONTRACTS}) n
                CROSS JOIN LATERAL (SELECT id FROM providers ORDER BY id OFFSET n % 500 LIMIT 1) p
                RETURNING id, title
            ), lines AS (
                INSERT INTO contract_funding (contract_id, source_organization_id, kind, amount_cents, position)
                SELECT id, '{buyer}', 'counterpart_cash', {AMOUNT}, 0 FROM made
            )
            INSERT INTO bench_contracts SELECT substring(title FROM 20)::int, id FROM made;
            COMMIT;""")
    return buyer


LUA = """
ids = IDS
counter = 0
made = 0
-- Keys unique across threads (wrk gives each its own Lua state) and across runs (RUN): a
-- repeated key would be answered as a retry, writing nothing.
function setup(thread)
  made = made + 1
  thread:set("prefix", "RUN-" .. made)
end
body = '{"amount_cents":1,"paid_on":"2026-03-01","method":"cash","payer_organization_id":"BUYER"}'
request = function()
  counter = counter + 1
  local path = "/v1/contracts/" .. ids[(counter % #ids) + 1] .. "/payments"
  return wrk.format("POST", path, {["Authorization"] = "Bearer TOKEN", ["Content-Type"] = "application/json",
                                   ["Idempotency-Key"] = prefix .. "-" .. counter}, body)
end
"""

PGBENCH = """
\\set n random(1, :contracts)
BEGIN;
INSERT INTO idempotency_keys (scope, key, request) VALUES (:scope, md5(random()::text || clock_timestamp()::text), :request::jsonb)
  ON CONFLICT DO NOTHING RETURNING key \\gset
SELECT c.id AS cid, c.status, c.organization_id, c.provider_id, now() AS now, current_date::text AS today,
       f.id AS fid, f.kind AS line_kind, coalesce(f.lines, 0) AS lines
FROM contracts c
LEFT JOIN LATERAL (
    SELECT id, kind, count(*) OVER () AS lines FROM contract_funding
    WHERE contract_id = c.id AND source_organization_id = :payer AND (NULL::text IS NULL OR kind = NULL) AND amount_cents > 0
    LIMIT 1) f ON true
WHERE c.id = (SELECT id FROM bench_contracts WHERE n = :n) FOR UPDATE OF c \\gset
WITH payment AS (
    INSERT INTO payments (id, contract_id, funding_id, amount_cents, paid_on, method, payer_organization_id, reference,
                          corrects_payment_id, recorded_by)
    VALUES (gen_random_uuid(), :cid, :fid, 1, '2026-03-01'::date, 'cash', :payer, NULL, NULL, NULL)
    RETURNING id),
keyed AS (UPDATE idempotency_keys SET payment_id = (SELECT id FROM payment) WHERE scope = :scope AND key = :key),
audited AS (
    INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after)
    SELECT NULLIF('', '')::uuid, action, entity, entity_id, NULLIF(before, '')::jsonb, NULLIF(after, '')::jsonb
    FROM unnest(ARRAY['pay'], ARRAY['payment'], ARRAY[(SELECT id::text FROM payment)], ARRAY[''], ARRAY[:after])
        AS change (action, entity, entity_id, before, after))
SELECT id FROM payment;
COMMIT;
"""


def wrk(base, token, buyer, ids, clients, seconds):
    script = LUA.replace("RUN", str(time.time_ns())).replace("IDS", "{" + ",".join(f'"{i}"' for i in ids) + "}").replace("TOKEN", token).replace("BUYER", buyer)
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        out = subprocess.run(["wrk", f"-t{min(clients, 2)}", f"-c{clients}", f"-d{seconds}s", "--latency", "-s", lua.name, base],
                             capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise SystemExit("wrk saw error responses:\n" + out)
    def ms(label):
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    return ms("50%"), ms("99%"), float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def pgbench(data, buyer, contracts, clients, seconds):
    request = ('{"contract_id":"00000000-0000-0000-0000-000000000000","payment":{"amount_cents":1,"method":"cash",'
               f'"paid_on":"2026-03-01","payer_organization_id":"{buyer}"}}}}')
    after = ('{"amount_cents":1,"contract_id":"00000000-0000-0000-0000-000000000000","created_at":"2026-11-30T00:00:00Z",'
             f'"funding_id":"00000000-0000-0000-0000-000000000000","funding_kind":"counterpart_cash","method":"cash",'
             f'"paid_on":"2026-03-01","payer_organization_id":"{buyer}"}}')
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o777)
        script = os.path.join(folder, "payment.sql")
        with open(script, "w") as file:
            file.write(PGBENCH)
        out = subprocess.run(["pgbench", "-h", data, "-U", "yachaq", "-n", "-M", "extended", "-c", str(clients), "-j", str(min(clients, 2)),
                              "-T", str(seconds), "-f", script, "-l", "--log-prefix", os.path.join(folder, "log"),
                              "-D", f"contracts={contracts}", "-D", "scope=00000000-0000-0000-0000-00000000b0b0", "-D", f"payer={buyer}",
                              "-D", f"request={request}", "-D", f"after={after}", "yachaq"],
                             capture_output=True, text=True, check=True).stdout
        latencies = sorted(int(line.split()[2]) / 1000 for name in glob.glob(os.path.join(folder, "log*")) for line in open(name))
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    return statistics.median(latencies), latencies[int(len(latencies) * 0.99)], tps


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base")
    parser.add_argument("token")
    parser.add_argument("data")
    parser.add_argument("--contracts", default="1,1000")
    parser.add_argument("--clients", default="1,16")
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()
    buyer = prepare(args.data)
    print("| contracts | clients | HTTP p50 / p99 ms | HTTP writes/s | pgbench p50 / p99 ms | pgbench writes/s | HTTP ÷ pgbench |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for contracts in map(int, args.contracts.split(",")):
        ids = psql(args.data, f"SELECT id FROM bench_contracts WHERE n <= {contracts} ORDER BY n").split()
        for clients in map(int, args.clients.split(",")):
            h50, h99, hrate = wrk(args.base, args.token, buyer, ids, clients, args.seconds)
            p50, p99, prate = pgbench(args.data, buyer, contracts, clients, args.seconds)
            print(f"| {contracts:,} | {clients} | {h50:.2f} / {h99:.2f} | {hrate:,.0f} | {p50:.2f} / {p99:.2f} | {prate:,.0f} | "
                  f"{hrate / prate:.2f} |", flush=True)


if __name__ == "__main__":
    main()
