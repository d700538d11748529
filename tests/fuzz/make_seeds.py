#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets, corpus/<target>/seed-<hash>, from the inputs
the unit tests use: the string literals of the tests of each target's code (raw strings
that parse as JSON or look like YAML manifests; ordinary literals for selectors, quantities
and times) and the example manifests. Inputs found by fuzzing live beside them as
corpus/<target>/regression-<name>; rerunning this script keeps those.

    tests/fuzz/make_seeds.py
"""
import hashlib
import json
import pathlib
import re
import struct

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TESTS = ROOT / "tests" / "api"

RAW = re.compile(r'R"\((.*?)\)"', re.S)
QUOTED = re.compile(r'(?<![A-Za-z0-9_)])"((?:[^"\\\n]|\\.)*)"')


def raw_strings(*files):
    for f in files:
        yield from RAW.findall(f.read_text())


def quoted_strings(*files):
    for f in files:
        for literal in QUOTED.findall(f.read_text()):
            try:
                yield bytes(literal, "utf-8").decode("unicode_escape").encode("latin-1").decode(
                    "utf-8")
            except (UnicodeDecodeError, UnicodeEncodeError):
                continue


def json_values(*files):
    for text in raw_strings(*files):
        try:
            yield json.loads(text)
        except ValueError:
            continue


def registry_kinds():
    """Kinds in Registry::builtin().all() order (the msgpack target's first byte picks one)."""
    text = (ROOT / "api" / "registry.cpp").read_text()
    return re.findall(r"&(\w+)::static_type\(\)", text)


RFC3339 = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?Z$")


def msgpack(value):
    """The msgpack encoding kactor uses: maps keyed by JSON names, times as int64 nanos."""
    if value is None:
        return b"\xc0"
    if value is True:
        return b"\xc3"
    if value is False:
        return b"\xc2"
    if isinstance(value, int):
        if value >= 0:
            return b"\xcf" + struct.pack(">Q", value)
        return b"\xd3" + struct.pack(">q", value)
    if isinstance(value, float):
        return b"\xcb" + struct.pack(">d", value)
    if isinstance(value, str):
        m = RFC3339.match(value)
        if m:
            import calendar
            secs = calendar.timegm(tuple(int(g) for g in m.groups()[:6]) + (0, 0, 0))
            frac = int((m.group(7) or ".0")[1:].ljust(9, "0")[:9])
            return msgpack(secs * 1_000_000_000 + frac)
        data = value.encode()
        return b"\xdb" + struct.pack(">I", len(data)) + data
    if isinstance(value, list):
        return b"\xdd" + struct.pack(">I", len(value)) + b"".join(msgpack(v) for v in value)
    if isinstance(value, dict):
        out = b"\xdf" + struct.pack(">I", len(value))
        for k, v in value.items():
            out += msgpack(k) + msgpack(v)
        return out
    raise TypeError(value)


def write(target, inputs):
    folder = HERE / "corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("seed-*"):
        old.unlink()
    seen = set()
    for data in inputs:
        if isinstance(data, str):
            data = data.encode()
        digest = hashlib.sha1(data).hexdigest()[:16]
        if digest in seen:
            continue
        seen.add(digest)
        (folder / f"seed-{digest}").write_bytes(data)
    print(f"{target}: {len(seen)} seeds")


def main():
    codec = sorted((TESTS / "codec").glob("*.cpp"))
    yaml_tests = sorted((TESTS / "yaml").glob("*.cpp"))
    patch_tests = sorted((TESTS / "patch").glob("*.cpp"))
    examples = sorted((ROOT / "examples").rglob("*.yaml"))

    objects = [v for v in json_values(*codec) if isinstance(v, dict) and "kind" in v]
    write("json_decode", [json.dumps(v) for v in objects])

    kinds = registry_kinds()
    seeds = []
    for v in objects:
        if v.get("kind") in kinds:
            seeds.append(bytes([kinds.index(v["kind"])]) + msgpack(v))
    write("msgpack_decode", seeds)

    manifests = [t for t in raw_strings(*codec, *yaml_tests) if "kind:" in t or "apiVersion" in t]
    manifests += [f.read_text() for f in examples]
    write("manifest", manifests)
    write("yaml", manifests + [t for t in raw_strings(*yaml_tests)] +
          [t for t in quoted_strings(*yaml_tests) if t])

    patches = list(json_values(*patch_tests))
    write("json_patch", [json.dumps(v) for v in patches if isinstance(v, list)])
    write("merge_patch", [json.dumps(v) for v in patches if isinstance(v, dict)])
    write("strategic_patch", [json.dumps(v) for v in patches if isinstance(v, dict)])

    write("label_selector", quoted_strings(TESTS / "labels" / "selector_test.cpp"))
    write("field_selector", quoted_strings(TESTS / "fields" / "selector_test.cpp"))
    write("quantity", quoted_strings(TESTS / "quantity" / "quantity_test.cpp"))
    write("rfc3339", [s for s in quoted_strings(*sorted((TESTS / "time").glob("*.cpp")))
                      if re.match(r"^\d", s)])


if __name__ == "__main__":
    main()
