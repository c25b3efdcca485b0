"""Load the sample shop's tables (and build them on first use).

The CSVs under `datasets/` are generated, not committed, so a fresh clone, Binder or a
JupyterHub image works without a build step: the first `load_table()` builds them. Parsed
frames are cached by file path and stat signature; every call returns a copy so callers may
mutate it.

Their bytes are pinned by the committed `datasets/MANIFEST.sha256`: a build must reproduce
them exactly (tested), and a truncated or hand-edited file is refused when loaded, with the
command that restores it. Hashing 100 MB on every read is most of a hidden check's cost, so
a file is hashed only when it is new or changed: a verified file's stat signature (size,
mtime_ns, ctime_ns, inode) is recorded in `<data dir>/.verified.json`, and a file whose
signature matches its record is not hashed again. ctime cannot be set from user space, so
an edit that keeps the size and restores the mtime (`os.utime`) still changes the signature;
what this does not defend against is in docs/grading.md.

CLI:  python -m shoplab.datasets build [--out DIR]   # write all CSVs
      python -m shoplab.datasets dictionary          # regenerate datasets/README.md
      python -m shoplab.datasets pnl                 # print the shop's P&L (its books)
      python -m shoplab.datasets manifest            # re-pin the checksums after changing
                                                     # the generator on purpose
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import pandas as pd

try:
    import fcntl
except ImportError:  # Windows: no lock, builds are still atomic per file
    fcntl = None

from shoplab.shopgen.schema import SCHEMA, dictionary_markdown

BUILD_COMMAND = "python -m shoplab.datasets build"
_CACHE: dict[tuple[str, int], pd.DataFrame] = {}
MANIFEST_NAME = "MANIFEST.sha256"
VERIFIED_NAME = ".verified.json"


class DatasetError(RuntimeError):
    """A table is unknown, missing and cannot be built, or malformed."""


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """`$SHOPLAB_DATA` if set, else `<repo root>/datasets`."""
    env = os.environ.get("SHOPLAB_DATA")
    return Path(env) if env else repo_root() / "datasets"


def manifest_path() -> Path:
    return repo_root() / "datasets" / MANIFEST_NAME


def checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest() -> dict[str, str]:
    """The committed checksum of every table's CSV, by file name."""
    lines = manifest_path().read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split() for line in lines if line.strip())}


def write_manifest(directory: Path) -> Path:
    """Pin the checksums of the CSVs in `directory` (after an intended generator change)."""
    lines = [f"{checksum(directory / f'{n}.csv')}  {n}.csv\n" for n in sorted(SCHEMA)]
    manifest_path().write_text("".join(lines), encoding="utf-8")
    return manifest_path()


def table_names() -> list[str]:
    return list(SCHEMA)


def build(directory: str | os.PathLike | None = None) -> Path:
    """Generate every table and write the CSVs (deterministic: same bytes every run)."""
    from shoplab.shopgen import write_all

    out = Path(directory) if directory is not None else data_dir()
    write_all(out)
    return out


def _build_in_subprocess(directory: Path) -> None:
    """Run the build in its own process, so a learner's kernel does not keep the generator's
    memory (about 0.8 GB at its peak) after the tables are written."""
    done = subprocess.run(
        [sys.executable, "-m", "shoplab.datasets", "build", "--out", str(directory)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise OSError(
            done.stderr.strip().splitlines()[-1]
            if done.stderr.strip()
            else f"the build exited with status {done.returncode}"
        )


def _ensure_built(path: Path) -> None:
    """Build the missing dataset; a lock file keeps parallel test workers from racing."""
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        lock_name = f"shoplab-build-{zlib.crc32(str(directory.resolve()).encode()):08x}.lock"
        with open(Path(tempfile.gettempdir()) / lock_name, "a") as lock:
            if fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_EX)
            if path.exists():  # another process built it while we waited
                return
            print(
                f"Shop Lab: building the sample shop datasets in {directory} "
                "(first use, under a minute) ...",
                flush=True,
            )
            _build_in_subprocess(directory)
    except OSError as exc:
        raise DatasetError(
            f"The sample shop data is missing from {directory} and could not be built there "
            f"({exc}). Run `{BUILD_COMMAND} --out DIR` with a writable DIR and set "
            f"SHOPLAB_DATA=DIR, or ask your instructor."
        ) from exc


def load_table(name: str) -> pd.DataFrame:
    """Return table `name` as a fresh DataFrame with dates, datetimes and booleans parsed.

    Empty cells (e.g. `customer_id` of an anonymous session) are missing values (NaN).
    """
    if name not in SCHEMA:
        raise DatasetError(f"Unknown table {name!r}. Available tables: {', '.join(SCHEMA)}.")
    table = SCHEMA[name]
    path = data_dir() / f"{name}.csv"
    if not path.exists():
        _ensure_built(path)
    key = (str(path), *_signature(path))
    if key not in _CACHE:
        frame = _read(path, table)
        _verify(path)
        _CACHE[key] = frame
    return _CACHE[key].copy()


def _signature(path: Path) -> list[int]:
    """What changes whenever the file's bytes may have: any write or `os.utime` moves ctime,
    which user code cannot set back; a replaced file has a new inode."""
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _verified_records(directory: Path) -> dict:
    try:
        records = json.loads((directory / VERIFIED_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, unreadable or half-written: every file is hashed again
    return records if isinstance(records, dict) else {}


def _record_verified(path: Path, signature: list[int], digest: str) -> None:
    """Record a verified file atomically (parallel graders each write a whole file; a lost
    record only costs one more hash). A read-only data directory records nothing."""
    records = _verified_records(path.parent)
    records[path.name] = {"signature": signature, "sha256": digest}
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=VERIFIED_NAME, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(records, out, indent=1, sort_keys=True)
        os.replace(tmp, path.parent / VERIFIED_NAME)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _verify(path: Path) -> None:
    """Refuse a file whose bytes are not the manifest's; hash it only if its signature
    differs from the one recorded when it last verified against the current manifest."""
    expected = manifest().get(path.name)
    signature = _signature(path)
    record = _verified_records(path.parent).get(path.name)
    if record == {"signature": signature, "sha256": expected}:
        return
    if checksum(path) == expected:
        _record_verified(path, signature, expected)
        return
    raise DatasetError(
        f"{path} is not the course's {path.stem} table: it is truncated, edited or left "
        f"from another version (its checksum differs from datasets/{MANIFEST_NAME}). "
        f"Delete it and run `{BUILD_COMMAND}`"
        + (f" --out {path.parent}" if os.environ.get("SHOPLAB_DATA") else "")
        + " to restore it."
    )


def _read(path: Path, table) -> pd.DataFrame:
    hint = (
        f"Rebuild it with `{BUILD_COMMAND}`"
        + (f" --out {path.parent}" if os.environ.get("SHOPLAB_DATA") else "")
        + "."
    )
    str_cols = table.names_of("str")
    try:
        df = pd.read_csv(
            path, dtype={c: str for c in str_cols}, keep_default_na=False, na_values=[""]
        )
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise DatasetError(f"Could not read {path}: {exc}. {hint}") from exc
    missing = [c for c in table.column_names if c not in df.columns]
    if missing:
        raise DatasetError(f"{path} is malformed: missing column(s) {', '.join(missing)}. {hint}")
    df = df[table.column_names]
    try:
        for c in table.names_of("date", "datetime"):
            df[c] = pd.to_datetime(df[c], format="ISO8601")
        for c in table.names_of("bool"):
            if df[c].dtype != bool:
                df[c] = df[c].map({"True": True, "False": False, True: True, False: False})
                df[c] = df[c].astype(bool)
    except (ValueError, TypeError) as exc:
        raise DatasetError(f"{path} has an unparsable value: {exc}. {hint}") from exc
    return df


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m shoplab.datasets",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="generate all CSVs")
    b.add_argument("--out", default=None, help="output directory (default: the data directory)")
    sub.add_parser("dictionary", help="regenerate datasets/README.md from the schema")
    sub.add_parser("manifest", help=f"re-pin datasets/{MANIFEST_NAME} to the built CSVs")
    sub.add_parser("pnl", help="print the shop's P&L from the built CSVs (builds them if missing)")
    args = parser.parse_args(argv)
    if args.cmd == "build":
        import time

        t0 = time.perf_counter()
        out = build(args.out)
        if args.out is None:
            (out / ".build-stamp").touch()
        print(f"Built {len(SCHEMA)} tables in {out} ({time.perf_counter() - t0:.1f} s).")
    elif args.cmd == "pnl":
        from shoplab.shopgen.books import format_pnl

        print(format_pnl(load_table))
    elif args.cmd == "manifest":
        print(f"Wrote {write_manifest(data_dir())}.")
    else:
        path = repo_root() / "datasets" / "README.md"
        path.write_text(dictionary_markdown(), encoding="utf-8")
        print(f"Wrote {path}.")
    return 0
