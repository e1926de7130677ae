"""Shared fixtures of the integration tests: where the real vigil and
vigilctl binaries, the shared captures and the EVE schema are, and a way to run vigil."""

import json
import os
import pathlib
import subprocess

import jsonschema
import pytest

import reference

REPO = pathlib.Path(__file__).resolve().parents[2]
SHARED = pathlib.Path(os.environ.get("VIGIL_SHARED", REPO.parent / "shared"))
PCAPS = SHARED / "pcaps"
SCHEMA = SHARED / "eve" / "schema.json"
CONFIG = REPO / "etc" / "vigil.yaml"


def _tool(env_name, *candidates):
    """The env variable's path, else the first built candidate (qa/setup.sh builds
    in build/, an in-tree build leaves binaries in the repo root)."""
    if env_name in os.environ:
        path = pathlib.Path(os.environ[env_name])
        return path if path.is_absolute() else REPO / path
    for candidate in candidates:
        if os.access(REPO / candidate, os.X_OK):
            return REPO / candidate
    return REPO / candidates[0]


VIGIL = _tool("VIGIL_BIN", "build/vigil", "vigil")
# Built beside vigil, so a sanitizer build's pair is tested together.
VIGILCTL = _tool("VIGILCTL_BIN", VIGIL.parent / "vigilctl")
PCAPGEN = _tool("VIGIL_PCAPGEN", "build/qa/tools/vigil-pcapgen", "qa/tools/vigil-pcapgen")


class VigilRun:
    """One finished run of vigil: exit code, stderr, and its EVE records."""

    def __init__(self, command, result, outdir):
        self.command = command
        self.returncode = result.returncode
        self.stdout = result.stdout
        self.stderr = result.stderr
        self.outdir = outdir
        eve = outdir / "eve.json"
        self.records = reference.load_eve(eve) if eve.exists() else []

    def flows(self):
        return [r for r in self.records if r.get("event_type") == "flow"]

    def describe(self):
        return f"{' '.join(map(str, self.command))} exited {self.returncode}:\n{self.stderr[-3000:]}"


@pytest.fixture(scope="session")
def vigil_bin():
    if not os.access(VIGIL, os.X_OK):
        pytest.skip(f"vigil not built: {VIGIL} (run ./qa/setup.sh)")
    return VIGIL


@pytest.fixture
def run_vigil(vigil_bin, tmp_path):
    """run_vigil(*args, config=CONFIG, outdir=None) -> VigilRun."""
    counter = [0]

    def run(*args, config=CONFIG, outdir=None, timeout=300):
        if outdir is None:
            counter[0] += 1
            outdir = tmp_path / f"out{counter[0]}"
            outdir.mkdir()
        command = [str(vigil_bin)]
        if config is not None:
            command += ["-c", str(config)]
        command += ["-l", str(outdir), *map(str, args)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        return VigilRun(command, result, outdir)

    return run


@pytest.fixture(scope="session")
def eve_validator():
    if not SCHEMA.exists():
        pytest.skip(f"EVE schema not found: {SCHEMA}")
    schema = json.loads(SCHEMA.read_text())
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def assert_valid_eve(validator, records):
    for rec in records:
        errors = sorted(validator.iter_errors(rec), key=lambda e: list(e.path))
        assert not errors, f"record fails the EVE schema: {errors[0].message} at {list(errors[0].path)}\n{rec}"
