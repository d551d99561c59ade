"""The committed stubs must be exactly what generate_stubs.sh makes from protos/ now."""

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PYTHON_SRC

COMMITTED = PYTHON_SRC / "forecasting_client" / "_generated"


def _files(root: Path):
    return sorted(p.relative_to(root) for p in root.rglob("*.py"))


@pytest.mark.skipif(shutil.which("protoc") is None or shutil.which("grpc_python_plugin") is None,
                    reason="needs Debian's protobuf-compiler and protobuf-compiler-grpc")
def test_committed_stubs_match_protos(tmp_path):
    out = tmp_path / "generated"
    subprocess.run(["sh", str(PYTHON_SRC / "generate_stubs.sh"), str(out)], check=True, capture_output=True, text=True)
    assert _files(out) == _files(COMMITTED), "generated file list differs: run src/python/generate_stubs.sh and commit"
    stale = [str(f) for f in _files(out) if not filecmp.cmp(out / f, COMMITTED / f, shallow=False)]
    assert not stale, f"stubs out of date with protos/: {stale}; run src/python/generate_stubs.sh and commit"


def test_stubs_import_without_repo_on_path(tmp_path):
    code = ("import sys; sys.path.insert(0, sys.argv[1]); "
            "from forecasting_client._generated.forecasting.v1 import planning_pb2_grpc, forecast_pb2; "
            "import forecasting_client; print(forecast_pb2.ForecastRequest(horizon=3).horizon)")
    result = subprocess.run([sys.executable, "-c", code, str(PYTHON_SRC)], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3"


@pytest.mark.skipif(shutil.which("protoc") is None, reason="needs Debian's protobuf-compiler")
def test_committed_message_dataclasses_match_protos(tmp_path):
    out = tmp_path / "messages.py"
    subprocess.run([sys.executable, str(PYTHON_SRC / "generate_messages.py"), str(out)], check=True, capture_output=True, text=True)
    committed = PYTHON_SRC / "forecasting_client" / "messages.py"
    assert out.read_text() == committed.read_text(), "messages.py out of date with protos/: run src/python/generate_stubs.sh and commit"
