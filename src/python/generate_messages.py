"""Writes forecasting_client/messages.py: plain dataclasses for the request messages a user fills in by hand
(scenario levers and the schemes they name), generated from the proto descriptors with their comments.

A lever added to planning.proto appears here by running src/python/generate_stubs.sh; the drift test in
tests/test_stubs.py fails while the committed file is out of date.

Usage: /usr/bin/python3 src/python/generate_messages.py [OUTPUT_FILE] [PROTOS_DIR]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from google.protobuf import descriptor_pb2

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
PROTO_FILE = "forecasting/v1/planning.proto"
PROTO_MODULE = "planning_pb2"

# Messages turned into dataclasses, nested ones first, with the name used in Python.
MESSAGES = ["SchemeSlippage", "NewScheme", "SchemeOverride", "ScenarioLevers", "Scenario"]

F = descriptor_pb2.FieldDescriptorProto
PY_TYPES = {
    F.TYPE_DOUBLE: "float", F.TYPE_FLOAT: "float",
    F.TYPE_INT32: "int", F.TYPE_INT64: "int", F.TYPE_UINT32: "int", F.TYPE_UINT64: "int",
    F.TYPE_SINT32: "int", F.TYPE_SINT64: "int", F.TYPE_FIXED32: "int", F.TYPE_FIXED64: "int",
    F.TYPE_BOOL: "bool", F.TYPE_STRING: "str",
}
DEFAULTS = {"float": "0.0", "int": "0", "bool": "False", "str": '""'}
CONVERT = {"float": "float", "int": "int", "bool": "bool", "str": "_text"}


def descriptor_set(protos: Path) -> descriptor_pb2.FileDescriptorSet:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "planning.pb")
        subprocess.run(["protoc", "-I", str(protos), "--include_source_info", f"--descriptor_set_out={out}", PROTO_FILE],
                       check=True)
        fds = descriptor_pb2.FileDescriptorSet()
        fds.ParseFromString(Path(out).read_bytes())
        return fds


def comments(file: descriptor_pb2.FileDescriptorProto) -> dict:
    """(message index,) and (message index, field index) -> the comment text next to it."""
    found = {}
    for loc in file.source_code_info.location:
        path = tuple(loc.path)
        text = " ".join(part.strip() for part in (loc.leading_comments + " " + loc.trailing_comments).split("\n") if part.strip())
        if not text:
            continue
        if len(path) == 2 and path[0] == 4:  # message_type[i]
            found[(path[1],)] = text
        elif len(path) == 4 and path[0] == 4 and path[2] == 2:  # message_type[i].field[j]
            found[(path[1], path[3])] = text
    return found


class Field:
    def __init__(self, f: descriptor_pb2.FieldDescriptorProto, maps: dict, comment: str):
        self.name = f.name
        self.comment = comment
        self.repeated = f.label == F.LABEL_REPEATED
        self.presence = f.proto3_optional
        self.map = maps.get(f.type_name) if f.type == F.TYPE_MESSAGE else None
        self.message = None
        self.timestamp = f.type_name == ".google.protobuf.Timestamp"
        if f.type == F.TYPE_MESSAGE and not self.map and not self.timestamp:
            self.message = f.type_name.rsplit(".", 1)[-1]
        self.scalar = PY_TYPES.get(f.type)

    def annotation(self) -> str:
        if self.map:
            return f"Dict[{self.map[0]}, {self.map[1]}]"
        if self.timestamp:
            return "Optional[pd.Timestamp]"
        if self.message:
            inner = f'"{self.message}"'
            return f"List[{inner}]" if self.repeated else f"Optional[{inner}]"
        if self.repeated:
            return f"List[{self.scalar}]"
        if self.presence:
            return f"Optional[{self.scalar}]"
        return "_Date" if self.scalar == "str" and self.name.endswith("date") else self.scalar

    def default(self) -> str:
        if self.map:
            return "field(default_factory=dict)"
        if self.repeated:
            return "field(default_factory=list)"
        if self.message or self.timestamp or self.presence:
            return "None"
        return DEFAULTS[self.scalar]

    def to_proto(self, out: list) -> None:
        v = f"self.{self.name}"
        if self.map:
            out.append(f"        for key, value in {v}.items():")
            out.append(f"            p.{self.name}[key] = {CONVERT[self.map[1]]}(value)")
        elif self.message and self.repeated:
            out.append(f"        p.{self.name}.extend(item.to_proto() for item in {v})")
        elif self.repeated:
            out.append(f"        p.{self.name}.extend({CONVERT[self.scalar]}(item) for item in {v})")
        elif self.message:
            out.append(f"        if {v} is not None:")
            out.append(f"            p.{self.name}.CopyFrom({v}.to_proto())")
        elif self.timestamp:
            out.append(f"        if {v} is not None:")
            out.append(f"            p.{self.name}.FromNanoseconds(pd.Timestamp({v}).value)")
        elif self.presence:
            out.append(f"        if {v} is not None:")
            out.append(f"            p.{self.name} = {CONVERT[self.scalar]}({v})")
        else:
            out.append(f"        p.{self.name} = {CONVERT[self.scalar]}({v})")

    def from_proto(self) -> str:
        v = f"p.{self.name}"
        if self.map:
            return f"dict({v})"
        if self.message and self.repeated:
            return f"[{self.message}.from_proto(item) for item in {v}]"
        if self.repeated:
            return f"list({v})"
        if self.message:
            return f'{self.message}.from_proto({v}) if p.HasField("{self.name}") else None'
        if self.timestamp:
            return f'_timestamp({v}) if p.HasField("{self.name}") else None'
        if self.presence:
            return f'{v} if p.HasField("{self.name}") else None'
        return v


def render(fds: descriptor_pb2.FileDescriptorSet) -> str:
    file = next(f for f in fds.file if f.name == PROTO_FILE)
    notes = comments(file)
    index = {m.name: i for i, m in enumerate(file.message_type)}
    lines = [
        '"""Dataclasses for the scenario messages, generated from protos/forecasting/v1/planning.proto by',
        "src/python/generate_messages.py: do not edit; change the proto and run src/python/generate_stubs.sh.",
        "",
        "Every field keeps the proto's name, order and meaning. A field the proto marks optional is None when unset",
        '(the baseline); dates are ISO strings and may be given as datetime.date or pandas Timestamps."""',
        "",
        "from __future__ import annotations",
        "",
        "import datetime as _dt",
        "from dataclasses import dataclass, field",
        "from typing import Dict, List, Optional, Union",
        "",
        "import pandas as pd",
        "",
        f"from ._generated.forecasting.v1 import {PROTO_MODULE}",
        "",
        "_Date = Union[str, _dt.date]",
        "",
        "",
        "def _text(value) -> str:",
        '    """Strings as they are; dates and timestamps as ISO dates."""',
        "    if value is None:",
        '        return ""',
        "    if isinstance(value, (_dt.date, _dt.datetime, pd.Timestamp)):",
        '        return value.strftime("%Y-%m-%d")',
        "    return str(value)",
        "",
        "",
        "def _timestamp(ts) -> Optional[pd.Timestamp]:",
        "    if ts.seconds == 0 and ts.nanos == 0:",
        "        return None",
        '    return pd.Timestamp(ts.seconds * 1_000_000_000 + ts.nanos, unit="ns", tz="UTC")',
    ]
    for name in MESSAGES:
        i = index[name]
        message = file.message_type[i]
        maps = {}
        for nested in message.nested_type:
            if nested.options.map_entry:
                k, v = nested.field
                maps[f".{file.package}.{name}.{nested.name}"] = (PY_TYPES[k.type], PY_TYPES[v.type])
        fields = [Field(f, maps, notes.get((i, j), "")) for j, f in enumerate(message.field)]
        doc = notes.get((i,), f"The {name} message of planning.proto.")
        lines += ["", "", "@dataclass", f"class {name}:", f'    """{doc}"""', ""]
        for f in fields:
            comment = f"  # {f.comment}" if f.comment else ""
            lines.append(f"    {f.name}: {f.annotation()} = {f.default()}{comment}")
        lines += ["", f"    def to_proto(self) -> {PROTO_MODULE}.{name}:", f"        p = {PROTO_MODULE}.{name}()"]
        for f in fields:
            f.to_proto(lines)
        lines += ["        return p", "", "    @classmethod", f"    def from_proto(cls, p: {PROTO_MODULE}.{name}) -> \"{name}\":",
                  "        return cls("]
        lines += [f"            {f.name}={f.from_proto()}," for f in fields]
        lines += ["        )"]
    return "\n".join(lines) + "\n"


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "forecasting_client" / "messages.py"
    protos = Path(sys.argv[2]) if len(sys.argv) > 2 else REPO / "protos"
    out.write_text(render(descriptor_set(protos)))


if __name__ == "__main__":
    main()
