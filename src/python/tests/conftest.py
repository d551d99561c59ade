"""Starts one Forecasting server per test session on a free loopback port, with a temporary store seeded
from data-samples/harbridge, and stops it at the end.

FORECASTING_TEST_SKIP_BUILD=1 skips the `dotnet build` of the server (when it was just built).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
PYTHON_SRC = REPO / "src" / "python"
SAMPLE = REPO / "data-samples" / "harbridge"
SERVER_PROJECT = REPO / "src" / "Forecasting.Server"
COUNCIL = "E06009999"

ANALYST = "dev-analyst-key"
STRATEGY = "dev-strategy-key"
COMMISSIONER = "dev-commissioner-key"

if str(PYTHON_SRC) not in sys.path:
    sys.path.insert(0, str(PYTHON_SRC))

import forecasting_client as fc  # noqa: E402


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_dll() -> Path:
    candidates = sorted(SERVER_PROJECT.glob("bin/*/net*/Forecasting.Server.dll"), key=lambda p: p.stat().st_mtime)
    if not candidates:
        raise RuntimeError(f"Forecasting.Server.dll not found under {SERVER_PROJECT}/bin: build the server first")
    return candidates[-1]


class RunningServer:
    def __init__(self, address: str, process: subprocess.Popen, workdir: Path, log_path: Path):
        self.address = address
        self.process = process
        self.workdir = workdir
        self.log_path = log_path

    def client(self, key: str | None = ANALYST, **kwargs) -> fc.Client:
        return fc.Client(self.address, key, **kwargs)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""


@pytest.fixture(scope="session")
def server():
    if shutil.which("dotnet") is None:
        pytest.fail("dotnet is not on PATH: the tests need the .NET SDK to run the server")
    if os.environ.get("FORECASTING_TEST_SKIP_BUILD") != "1":
        build = subprocess.run(["dotnet", "build", str(SERVER_PROJECT), "-nologo", "-v", "q", "-clp:ErrorsOnly"],
                               cwd=REPO, capture_output=True, text=True, timeout=900)
        if build.returncode != 0:
            pytest.fail(f"building the server failed:\n{build.stdout[-4000:]}\n{build.stderr[-2000:]}")

    workdir = Path(tempfile.mkdtemp(prefix="forecasting-pytest-"))
    port = _free_port()
    address = f"http://127.0.0.1:{port}"
    log_path = workdir / "server.log"
    log = open(log_path, "w")
    env = dict(os.environ, DOTNET_CLI_TELEMETRY_OPTOUT="1", ASPNETCORE_ENVIRONMENT="Development")
    process = subprocess.Popen(
        ["dotnet", str(_server_dll()), "--urls", address,
         f"--Store:Path={workdir / 'forecasting.duckdb'}", f"--Store:SeedDirectory={SAMPLE}"],
        cwd=SERVER_PROJECT, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    running = RunningServer(address, process, workdir, log_path)
    try:
        deadline = time.monotonic() + 180
        client = fc.Client(address, ANALYST, timeout=5, retries=1)
        last = None
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited with code {process.returncode}:\n{running.log()}")
            try:
                status = client.status()
                if not status.tables.empty and status.tables["rows"].sum() > 0:
                    break
                last = "store still empty"
            except fc.ForecastingError as e:
                last = e
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not become ready within 180 s ({last}):\n{running.log()}")
            time.sleep(0.5)
        client.close()
        yield running
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def analyst(server):
    with server.client(ANALYST) as c:
        yield c


@pytest.fixture(scope="session")
def strategy_lead(server):
    with server.client(STRATEGY) as c:
        yield c


@pytest.fixture(scope="session")
def commissioner(server):
    with server.client(COMMISSIONER) as c:
        yield c
