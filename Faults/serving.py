"""`yachaq serve` on a folder of its own, for the fault scripts: started, awaited healthy,
stopped and removed whatever happens."""
import contextlib
import http.client
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time


@contextlib.contextmanager
def serving(binary: str, prefix: str, open_files: int = 0, prepare=None):
    """Yields (port, pid) of `binary serve` on a new embedded cluster in a new folder;
    `prepare(data)` runs first (seed, users); `open_files` lowers the service's limit."""
    port = free_port()
    folder = tempfile.mkdtemp(prefix=prefix)
    os.chmod(folder, 0o755)  # the embedded PostgreSQL may run as postgres
    data = os.path.join(folder, "pg")
    log = open(os.path.join(folder, "serve.log"), "w")
    service = None
    try:
        if prepare:
            prepare(data)
        limit = (lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))) if open_files else None
        service = subprocess.Popen([binary, "serve", "--data-dir", data, "--port", str(port)],
                                   stdout=log, stderr=subprocess.STDOUT, preexec_fn=limit)
        wait_healthy(port, log.name)
        yield port, service.pid
    finally:
        if service:
            service.terminate()
            try:
                service.wait(timeout=30)
            except subprocess.TimeoutExpired:
                service.kill()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def wait_healthy(port: int, log: str, timeout: float = 180):
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"the service did not become healthy within {timeout} s; see {log}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
