"""Values computed once and kept on disk beside the shop's data, for every kernel to read.

Some values every check needs take a second to compute and depend only on the shop's data and
the course's code: each exercise's references (`graders.references`) and the Double 11 model's
context (`shoplab.shopgen.model`). Each is stored as `<data dir>/.stored/<name>.pickle`
with the key it was computed under (`key`: a hash of the data manifest and of the packages'
files), and read back only while the key still matches; otherwise it is computed again in the
reading process, which never writes it.

Only a trusted process writes: `shoplab references`, which `make setup` runs and
`shoplab grade` runs before it starts the kernels. So learner code that patches a formula in
its kernel's memory cannot plant its result for a hidden grade or for another learner's
submission; reading an entry is reading from disk, like reading the tables (docs/grading.md:
code that can write to the data directory could already rewrite the tables and the manifest).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

from shoplab import datasets

DIRECTORY = ".stored"


@cache
def key(*packages: str) -> str:
    """A hash of the data manifest and of every file of `packages` (top-level package names
    beside `shoplab`, e.g. "graders"; bytecode left out: it follows the sources)."""
    digest = hashlib.sha256(datasets.manifest_path().read_bytes())
    root = Path(__file__).resolve().parents[1]
    for package in sorted(packages):
        for path in sorted((root / package).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def path(name: str) -> Path:
    return datasets.data_dir() / DIRECTORY / f"{name}.pickle"


def read(name: str, key: str):
    """The value stored under `name` if it was computed under `key`, else None (also when the
    file is absent, truncated or not one of ours: the caller computes the value instead)."""
    try:
        entry = pickle.loads(path(name).read_bytes())
    except Exception:  # noqa: BLE001 - absent, truncated or foreign: compute instead
        return None
    if isinstance(entry, dict) and entry.get("key") == key:
        return entry.get("value")
    return None


def write(name: str, key: str, value) -> bool:
    """Store `value` under `name` and `key`, atomically (a parallel reader sees the old entry or
    the new one, never half of one). False if the value cannot be pickled."""
    try:
        payload = pickle.dumps({"key": key, "value": value})
    except Exception:  # noqa: BLE001 - e.g. a lambda inside the value: left to be computed
        return False
    target = path(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(payload)
        os.chmod(tmp, 0o644)  # a hub's learners read what the instructor's setup wrote
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True
