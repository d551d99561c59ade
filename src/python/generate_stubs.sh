#!/bin/sh
# Regenerates the Python protobuf and gRPC stubs from protos/ with Debian's protoc and grpc_python_plugin.
#   apt-get install protobuf-compiler protobuf-compiler-grpc
# Usage: src/python/generate_stubs.sh [OUTPUT_DIR]   (default: src/python/forecasting_client/_generated)
# PROTOS_DIR overrides the proto root (default: protos/ of this repository).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:-"$here/forecasting_client/_generated"}
plugin=${GRPC_PYTHON_PLUGIN:-$(command -v grpc_python_plugin || true)}

command -v protoc >/dev/null || { echo "protoc not found: apt-get install protobuf-compiler" >&2; exit 1; }
[ -n "$plugin" ] || { echo "grpc_python_plugin not found: apt-get install protobuf-compiler-grpc" >&2; exit 1; }

mkdir -p "$out"
rm -rf "$out/forecasting" "$out/google"
cd "${PROTOS_DIR:-$repo/protos}"
protoc -I . \
  --python_out="$out" \
  --grpc_python_out="$out" \
  --plugin=protoc-gen-grpc_python="$plugin" \
  forecasting/v1/*.proto
# The HTTP rule options (google.api.http) the forecasting protos import: messages only, no service.
protoc -I . --python_out="$out" google/api/annotations.proto google/api/http.proto

# The stubs import each other as the top-level packages "forecasting.v1" and "google.api"; make those imports
# relative so the package works from any directory without touching sys.path (and without the
# googleapis-common-protos package).
for f in "$out"/forecasting/v1/*.py; do
  sed -i -e 's/^from forecasting\.v1 import /from . import /' -e 's/^from google\.api import /from ...google.api import /' "$f"
done
for f in "$out"/google/api/*.py; do
  sed -i 's/^from google\.api import /from . import /' "$f"
done
: > "$out/__init__.py"
: > "$out/forecasting/__init__.py"
: > "$out/forecasting/v1/__init__.py"
: > "$out/google/__init__.py"
: > "$out/google/api/__init__.py"

# The scenario dataclasses (forecasting_client/messages.py) come from the same protos.
if [ -z "${1:-}" ]; then
  "${PYTHON:-/usr/bin/python3}" "$here/generate_messages.py" "$here/forecasting_client/messages.py" "${PROTOS_DIR:-$repo/protos}"
fi
