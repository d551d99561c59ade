"""Starts one Forecasting server per test session on a free loopback port, with a temporary store seeded
from data-samples/harbridge, and stops it at the end.

The server runs from its existing build (src/Forecasting.Server/bin/<configuration>/<tfm>/Forecasting.Server.dll,
as `dotnet build` or `dotnet test Forecasting.sln` leave it). `dotnet build` runs first only when there is no
build, when a source of the server or of a project it references is newer than the build, or when
FORECASTING_TEST_BUILD=1.
"""

from __future__ import annotations

import os
import re
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


def _built_server_dll() -> Path | None:
    candidates = sorted(SERVER_PROJECT.glob("bin/*/net*/Forecasting.Server.dll"), key=lambda p: p.stat().st_mtime)
    return candidates[-1] if candidates else None


def _server_projects() -> list[Path]:
    """The server project and every project it references, directly or not."""
    seen: list[Path] = []
    pending = [SERVER_PROJECT / "Forecasting.Server.csproj"]
    while pending:
        csproj = pending.pop().resolve()
        if csproj in seen:
            continue
        seen.append(csproj)
        for include in re.findall(r'<ProjectReference\s+Include="([^"]+)"', csproj.read_text()):
            pending.append(csproj.parent / include.replace("\\", "/"))
    return [p.parent for p in seen]


def _newest_mtime(paths) -> float:
    return max((p.stat().st_mtime for p in paths), default=0.0)


def _build_is_stale(dll: Path) -> bool:
    """True when a source the server build reads (C#, projects, migrations, protos, settings, build props) is
    newer than every assembly and settings file of the build."""
    sources: list[Path] = [p for p in REPO.glob("Directory.*.props")] + list((REPO / "protos").rglob("*.proto"))
    for project in _server_projects():
        for dirpath, dirnames, filenames in os.walk(project):
            dirnames[:] = [d for d in dirnames if d not in ("bin", "obj")]
            sources += [Path(dirpath, n) for n in filenames
                        if n.endswith((".cs", ".csproj", ".sql")) or (n.startswith("appsettings") and n.endswith(".json"))]
    outputs = list(dll.parent.glob("Forecasting.*.dll")) + list(dll.parent.glob("*.json"))
    return _newest_mtime(sources) > _newest_mtime(outputs)


def _build_server() -> None:
    build = subprocess.run(["dotnet", "build", str(SERVER_PROJECT), "-nologo", "-v", "q", "-clp:ErrorsOnly"],
                           cwd=REPO, capture_output=True, text=True, timeout=900)
    if build.returncode != 0:
        pytest.fail(f"building the server failed:\n{build.stdout[-4000:]}\n{build.stderr[-2000:]}")


def _server_dll() -> Path:
    """The built server, built first when there is no build or the build is older than the sources."""
    dll = _built_server_dll()
    if os.environ.get("FORECASTING_TEST_BUILD") == "1" or dll is None or _build_is_stale(dll):
        _build_server()
        dll = _built_server_dll()
    if dll is None:
        pytest.fail(f"Forecasting.Server.dll not found under {SERVER_PROJECT}/bin after building the server")
    return dll


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


def start_server(address: str, workdir: Path, *settings: str):
    """Starts the built server in its own process group on `address`, logging to workdir/server.log."""
    log_path = workdir / "server.log"
    log = open(log_path, "w")
    env = dict(os.environ, DOTNET_CLI_TELEMETRY_OPTOUT="1", ASPNETCORE_ENVIRONMENT="Development")
    process = subprocess.Popen(["dotnet", str(_server_dll()), "--urls", address, *settings],
                               cwd=SERVER_PROJECT, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    return process, log, log_path


def stop_server(process, log, workdir: Path) -> None:
    """Stops a server started by start_server (SIGTERM, then SIGKILL after 20 s) and removes its directory."""
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
def server():
    if shutil.which("dotnet") is None:
        pytest.fail("dotnet is not on PATH: the tests need the .NET SDK to run the server")
    workdir = Path(tempfile.mkdtemp(prefix="forecasting-pytest-"))
    port = _free_port()
    address = f"http://127.0.0.1:{port}"
    process, log, log_path = start_server(address, workdir, f"--Store:Path={workdir / 'forecasting.duckdb'}",
                                          f"--Store:SeedDirectory={SAMPLE}")
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
        stop_server(process, log, workdir)


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
