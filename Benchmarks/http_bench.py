#!/usr/bin/env python3
"""Every path a user waits on, through HTTP at national scale, beside the same SQL under pgbench.

    yachaq seed --scale national --data-dir D                      # once: 100,000 talents, 1,000,000 contracts
    swift build -c release --scratch-path .build-release --product yachaq
    python3 Benchmarks/http_bench.py D [--seconds 5] [--connections 1,8,64] [--only shortlist,search-near] [--out FILE]

Starts `yachaq serve` (the release build) on the cluster in D, makes its own admin and community
accounts, and for each path:

- wrk (Debian's package) sends the path's requests in rotation (20 ids, or the 50 benchmark
  requests), with a bearer token or the web session cookie, at 1, 8 and 64 connections;
- pgbench replays, statement for statement, what the service sent PostgreSQL for those very
  requests: captured once from the server log (`log_statement = all`), parameters written in
  as literals, one pgbench script per request picked at random; same number of clients;
- the ratio is HTTP requests/s ÷ pgbench transactions/s: how much of PostgreSQL's own speed a
  user gets through the service. The server's RSS is read after every 64-connection run;
- the framework's ceiling: `yachaq bench framework` (a bare Hummingbird server, one plain-text
  route, no middleware) under the same wrk, first; every path's requests/s is also given as a
  share of it at the same connections, so a run says how far each path is from what the
  framework alone allows.

Payments use `payments_http.py`'s transaction (a new idempotency key each time, which a replay
could not give). Prints a Markdown table (BENCHMARKS.md) and writes it to --out.
"""
import argparse
import glob
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import payments_http  # noqa: E402

PASSWORD = "http bench password 2026"
IDS = 20


def psql(data, sql):
    return payments_http.psql(data, sql)


def column(data, sql):
    return [line for line in psql(data, sql).split("\n") if line]


class Service:
    """`yachaq serve` on the benchmark cluster, with an admin's token and a community user's cookie."""

    def __init__(self, binary, data, port):
        self.base = f"http://127.0.0.1:{port}"
        self.log = open(os.path.join(tempfile.gettempdir(), "yachaq-http-bench.log"), "w")
        self.process = subprocess.Popen([binary, "serve", "--data-dir", data, "--port", str(port)], stdout=self.log,
                                        stderr=subprocess.STDOUT)
        for _ in range(600):
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("yachaq serve did not answer /health in 60 s")
        self.binary, self.data = binary, data

    def account(self, login, role, organization=None):
        """A user with PASSWORD (made once) and a fresh token."""
        if not psql(self.data, f"SELECT 1 FROM users WHERE login = '{login}'"):
            arguments = [self.binary, "user", "create", "--login", login, "--role", role, "--password-stdin", "--data-dir", self.data]
            if organization:
                arguments += ["--organization", organization]
            subprocess.run(arguments, input=PASSWORD + "\n", text=True, check=True, capture_output=True)
        body = json.dumps({"login": login, "password": PASSWORD}).encode()
        request = urllib.request.Request(self.base + "/v1/auth/login", body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as response:
            return json.load(response)["token"]

    def get(self, path, headers):
        request = urllib.request.Request(self.base + path, headers=headers)
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status

    def rss_mb(self):
        """Resident and peak resident memory of the service, in MB."""
        status = open(f"/proc/{self.process.pid}/status").read()
        field = lambda name: int(re.search(rf"{name}:\s+(\d+) kB", status).group(1)) / 1024
        return field("VmRSS"), field("VmHWM")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def paths(data, admin, community):
    """(name, headers, [request paths], [connections] or None for all, note) of every benchmarked path."""
    bearer = {"Authorization": f"Bearer {admin}"}
    cookie = {"Cookie": f"yachaq_session={community}"}
    requests = column(data, "SELECT id FROM service_requests WHERE title LIKE 'Benchmark request %' ORDER BY title")
    if not requests:
        raise SystemExit("no benchmark requests: seed with `yachaq seed --scale national` first")
    near = column(data, "SELECT DISTINCT ubigeo FROM service_requests WHERE title LIKE 'Benchmark request %' ORDER BY 1")
    talents = column(data, f"SELECT id FROM providers WHERE status = 'active' AND consent_to_publish ORDER BY md5(id::text) LIMIT {IDS}")
    rated = column(data, f"SELECT provider_id FROM ratings GROUP BY 1 ORDER BY md5(provider_id::text) LIMIT {IDS}")
    contracts = column(data, f"SELECT id FROM contracts WHERE title = 'Trabajo de referencia' ORDER BY md5(id::text) LIMIT {IDS}")
    buyer = psql(data, "SELECT id FROM organizations WHERE name = 'Mercado de referencia community 1'")
    own = column(data, f"SELECT id FROM contracts WHERE organization_id = '{buyer}' ORDER BY md5(id::text) LIMIT {IDS}") if buyer else []
    departments = ["08", "21", "03", "05", "09", "12", "02", "06"]  # Cusco, Puno, Apurímac, … by ubigeo
    quechua = ["quz", "qxp", "quy", "que", "qvc", "ayr"]
    skills = ["water", "camelids", "crops.native_potato", "livestock.animal_health", "crafts.weaving"]
    return [
        ("shortlist of 20", bearer, [f"/v1/requests/{r}/matches?limit=20" for r in requests], None),
        ("search: language, skill, 50 km around a district", bearer,
         [f"/v1/providers?language={quechua[i % 6]}&skill={skills[i % 5]}&near={u}&radius_km=50&limit=20" for i, u in enumerate(near)],
         None),
        ("search: department and kind, by name", bearer,
         [f"/v1/providers?place={d}&kind=yachachiq&limit=20" for d in departments], None),
        ("search: newest published, anonymous", {}, [f"/v1/providers?sort=newest&skill={s}&limit=20" for s in skills], None),
        ("provider profile, anonymous", {}, [f"/v1/providers/{t}" for t in talents], None),
        ("provider profile, admin token", bearer, [f"/v1/providers/{t}" for t in talents], None),
        ("health, no database", {}, ["/health/live"], None),
        ("district, anonymous", {}, ["/v1/districts/080101"], None),
        ("district, admin token", bearer, ["/v1/districts/080101"], None),
        ("contract", bearer, [f"/v1/contracts/{c}" for c in contracts], None),
        ("scorecard", bearer, [f"/v1/reports/providers/{t}" for t in rated], None),
        # Answered from the kept figures (as_of); pgbench computes them: the first request's statements.
        ("indicators, whole country", bearer, ["/v1/reports/indicators"], [1, 8]),
        ("community's contract page (web, gzip)", {**cookie, "Accept-Encoding": "gzip"}, [f"/contracts/{c}" for c in own], None),
    ]


LOG_ENTRY = re.compile(r"^\d{4}-\d\d-\d\d [\d:.]+ \w+ \[\d+\] (\w+):  (.*)$")


def capture(service, headers, urls, warm=True):
    """For each url, the statements the service sent for it, parameters written in as literals;
    for a warm service (the request asked once before), unless `warm` is false."""
    log = os.path.join(service.data, "server.log")
    psql(service.data, "ALTER SYSTEM SET log_statement = 'all'")
    psql(service.data, "SELECT pg_reload_conf()")
    time.sleep(0.5)
    scripts = []
    try:
        for url in urls:
            if warm:
                service.get(url, headers)  # once before: what a warm service sends (caches filled)
                time.sleep(0.05)
            start = os.path.getsize(log)
            service.get(url, headers)
            time.sleep(0.05)
            with open(log) as file:
                file.seek(start)
                scripts.append(statements(file.read()))
    finally:
        psql(service.data, "ALTER SYSTEM RESET log_statement")
        psql(service.data, "SELECT pg_reload_conf()")
    return scripts


def statements(text):
    """The log's `statement:` and `execute …:` entries, their `parameters:` substituted."""
    entries, found = [], []
    for line in text.split("\n"):
        match = LOG_ENTRY.match(line)
        if match:
            entries.append([match.group(1), match.group(2)])
        elif line.startswith("\t") and entries:
            entries[-1][1] += "\n" + line[1:]
    for index, (level, message) in enumerate(entries):
        sql = re.sub(r"^(statement|execute [^:]+): ", "", message, count=1)
        if level != "LOG" or sql == message:
            continue
        if index + 1 < len(entries) and entries[index + 1][1].startswith("parameters: "):
            values = {n: hide_colons(v) for n, v in re.findall(r"\$(\d+) = (NULL|'(?:[^']|'')*')", entries[index + 1][1])}
            for number in sorted(values, key=int, reverse=True):
                sql = re.sub(rf"\${number}(?!\d)", lambda _: values[number], sql)
        # Literals of the statement itself too (a time format: 'HH24:MI:SS').
        sql = re.sub(r"(?<![\w])'(?:[^']|'')*'", lambda literal: hide_colons(literal.group(0)), sql)
        found.append(sql.rstrip().rstrip(";") + ";")
    return found


def hide_colons(literal):
    """A literal pgbench would read `:name` in (it takes those for its variables, even in
    quotes): the same value as an E'' literal with each colon escaped."""
    if ":" not in literal or literal == "NULL":
        return literal
    return "E" + literal.replace("\\", "\\\\").replace(":", "\\x3a")


def wrk(base, headers, urls, connections, seconds):
    header = ", ".join(f'["{k}"] = "{v}"' for k, v in headers.items())
    script = ("paths = {" + ", ".join(f'"{u}"' for u in urls) + "}\n"
              f"headers = {{{header}}}\ncounter = 0\n"
              "request = function()\n  counter = counter + 1\n"
              "  return wrk.format(\"GET\", paths[(counter % #paths) + 1], headers)\nend\n")
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        out = subprocess.run(["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency",
                              "-s", lua.name, base], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: (.*)", out)
    failed = ", ".join(filter(None, [errors and f"{errors.group(1)} errors", sockets and f"socket errors: {sockets.group(1)}"]))
    ms = lambda label: wrk_ms(out, label)
    return ms("50%"), ms("99%"), float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), failed


def wrk_ms(out, label):
    value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def pgbench(data, scripts, connections, seconds):
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o777)
        files = []
        for index, script in enumerate(scripts):
            name = os.path.join(folder, f"request{index}.sql")
            with open(name, "w") as file:
                file.write("\n".join(script) + "\n")
            files += ["-f", f"{name}@1"]
        out = subprocess.run(["pgbench", "-h", data, "-U", "yachaq", "-n", "-M", "extended", "-c", str(connections),
                              "-j", str(min(connections, 2)), "-T", str(seconds), "-l", "--log-prefix", os.path.join(folder, "log")]
                             + files + ["yachaq"], capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(f"pgbench failed:\n{out.stdout}\n{out.stderr}")
        latencies = sorted(int(line.split()[2]) / 1000 for name in glob.glob(os.path.join(folder, "log*")) for line in open(name))
    return statistics.median(latencies), latencies[int(len(latencies) * 0.99)], float(re.search(r"tps = ([\d.]+)", out.stdout).group(1))


def framework(binary, port, connections, seconds):
    """Requests/s of a bare Hummingbird server (`yachaq bench framework`) at each count of
    connections, and its table rows."""
    process = subprocess.Popen([binary, "bench", "framework", "--port", str(port)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(base + "/plain", timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        ceiling, rows = {}, []
        for count in connections:
            wrk(base, {}, ["/plain"], count, 1)  # warm-up
            http = wrk(base, {}, ["/plain"], count, seconds)
            ceiling[count] = http[2]
            rows.append(row("framework ceiling: bare Hummingbird, plain text", count, http, None))
        return ceiling, rows
    finally:
        process.terminate()
        process.wait(timeout=30)


def row(name, connections, http, database, rss="", ceiling=None):
    ratio = f"{http[2] / database[2]:.2f}" if database else ""
    share = f"{http[2] / ceiling:.2f}" if ceiling else ""
    failed = f" (**{http[3]}**)" if len(http) > 3 and http[3] else ""
    if http[2] == 0:
        return (f"| {name} | {connections} | no answer within the run | 0 | {database[0]:.2f} / {database[1]:.2f} | "
                f"{database[2]:,.1f} | | | {rss} |")
    base = f"| {name} | {connections} | {http[0]:.2f} / {http[1]:.2f}{failed} | {http[2]:,.0f} |"
    if database:
        rate = f"{database[2]:,.0f}" if database[2] >= 10 else f"{database[2]:.2f}"
        return base + f" {database[0]:.2f} / {database[1]:.2f} | {rate} | {ratio} | {share} | {rss} |"
    return base + f" | | | {share} | {rss} |"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data")
    parser.add_argument("--binary", default=".build-release/release/yachaq")
    parser.add_argument("--port", type=int, default=8097)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", default="1,8,64")
    parser.add_argument("--only", default="", help="comma-separated words; a path runs when its name contains one")
    parser.add_argument("--out", default="")
    parser.add_argument("--framework-binary", default="", help="a yachaq with `bench framework` (default: --binary)")
    args = parser.parse_args()
    connections = [int(c) for c in args.connections.split(",")]
    ceiling, framework_rows = framework(args.framework_binary or args.binary, args.port + 1, connections, args.seconds)
    service = Service(args.binary, args.data, args.port)
    table = ["| path | connections | HTTP p50 / p99 ms | HTTP req/s | pgbench p50 / p99 ms | pgbench tps | HTTP ÷ pgbench "
             "| HTTP ÷ framework | service RSS MB |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]

    def emit(line):
        table.append(line)
        print(line, flush=True)

    try:
        admin = service.account("httpbench", "admin")
        buyer = psql(args.data, "SELECT id FROM organizations WHERE name = 'Mercado de referencia community 1'")
        community = service.account("httpcommunity", "community", buyer) if buyer else None  # a registry without a market has none
        print("\n".join(table), flush=True)
        for line in framework_rows:
            emit(line)
        for name, headers, urls, only in paths(args.data, admin, community):
            if not urls or args.only and not any(word in name for word in args.only.split(",")):
                continue
            if name.startswith("indicators"):
                psql(args.data, "DELETE FROM kept_indicators")  # so that the captured request computes them
            scripts = capture(service, headers, urls, warm=not name.startswith("indicators"))
            for count in [c for c in connections if only is None or c in only]:
                wrk(service.base, headers, urls, count, 1)  # warm-up
                http = wrk(service.base, headers, urls, count, args.seconds)
                rss = "%.0f" % service.rss_mb()[0] if count >= 64 else ""
                database = pgbench(args.data, scripts, count, args.seconds) if any(scripts) else None
                emit(row(name, count, http, database, rss, ceiling.get(count)))
        if not args.only or "payment" in args.only:
            payer = payments_http.prepare(args.data)
            ids = column(args.data, "SELECT id FROM bench_contracts ORDER BY n")
            for count in sorted(set(connections) | {16}):
                http = payments_http.wrk(service.base, admin, payer, ids, count, args.seconds)
                rss = "%.0f" % service.rss_mb()[0] if count >= 64 else ""
                emit(row("payment write, 1,000 contracts", count, http,
                         payments_http.pgbench(args.data, payer, len(ids), count, args.seconds), rss, ceiling.get(count)))
        current, peak = service.rss_mb()
        print(f"\nservice RSS {current:.0f} MB now, {peak:.0f} MB at most", flush=True)
        table.append(f"\nService RSS at the end: {current:.0f} MB; peak {peak:.0f} MB.")
    finally:
        service.stop()
    if args.out:
        with open(args.out, "w") as file:
            file.write("\n".join(table) + "\n")


if __name__ == "__main__":
    main()
