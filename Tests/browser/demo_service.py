"""`yachaq serve --demo` on a new embedded cluster, for the browser run and the page-weight
command: started on a free port, waited for until /health answers, with the demo accounts'
passwords it prints, stopped with SIGTERM and its folder removed afterwards."""
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def demo_service(binary, prefix):
    """Yields (base URL, {login: password}) of a running demo service."""
    folder = tempfile.mkdtemp(prefix=prefix)
    os.chmod(folder, 0o755)  # PostgreSQL runs as another user when this runs as root
    port = free_port()
    log_path = os.path.join(folder, "serve.log")
    with open(log_path, "w") as log:
        process = subprocess.Popen([binary, "serve", "--demo", "--data-dir", os.path.join(folder, "pg"), "--port", str(port)],
                                   stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if urllib.request.urlopen(base + "/health", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.5)
            if process.poll() is not None:
                sys.exit("the service stopped: " + open(log_path).read()[-2000:])
        else:
            sys.exit("the service did not answer /health")
        accounts = dict(re.findall(r"login (\S+)\s+password (\S+)", open(log_path).read()))
        if "chillihuani" not in accounts or "staff" not in accounts:
            sys.exit("no demo community or staff account in the service's output")
        yield base, accounts
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
