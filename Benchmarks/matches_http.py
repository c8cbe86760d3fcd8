#!/usr/bin/env python3
"""Shortlists through HTTP with wrk, the 50 benchmark requests in rotation.

    yachaq seed --providers 100000 --data-dir D && yachaq bench match --data-dir D   # makes the requests
    yachaq serve --data-dir D --port 8099 &
    python3 Benchmarks/matches_http.py http://127.0.0.1:8099 TOKEN D [connections] [seconds]

TOKEN: an admin's bearer token. Prints wrk's latency distribution and requests/s; put them
beside `yachaq bench match`'s pgbench figure from the same session (BENCHMARKS.md).
"""
import subprocess
import sys
import tempfile

base, token, data = sys.argv[1], sys.argv[2], sys.argv[3]
connections = sys.argv[4] if len(sys.argv) > 4 else "1"
seconds = sys.argv[5] if len(sys.argv) > 5 else "20"
ids = subprocess.run(["psql", "-h", data, "-U", "yachaq", "-d", "yachaq", "-Atc",
                      "SELECT id FROM service_requests WHERE title LIKE 'Benchmark request %' ORDER BY title"],
                     capture_output=True, text=True, check=True).stdout.split()
script = "ids = {" + ",".join(f'"{i}"' for i in ids) + "}\ncounter = 0\n" + """
request = function()
  counter = counter + 1
  local path = "/v1/requests/" .. ids[(counter % #ids) + 1] .. "/matches?limit=20"
  return wrk.format("GET", path, {["Authorization"] = "Bearer TOKEN"})
end
""".replace("TOKEN", token)
with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
    lua.write(script)
    lua.flush()
    subprocess.run(["wrk", f"-t{min(int(connections), 2)}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", lua.name, base], check=True)
