"""Load the sample shop's tables (and build them on first use).

The CSVs under `datasets/` are generated, not committed, so a fresh clone, Binder or a
JupyterHub image works without a build step: the first `load_table()` builds them.

Two copies of every table. The CSV is canonical: learners open it in a spreadsheet, and its
bytes are the same on every platform and library version, so `datasets/MANIFEST.sha256` pins
them. Beside it the build writes `<table>.arrow`, an uncompressed Arrow IPC (Feather v2) file
made from the CSV exactly as it parses, dtypes stored. That is what `load_table` reads: it is
memory-mapped, and its text columns become pandas' pyarrow-backed strings without a copy, so
the 80 MB sessions table loads in hundredths of a second instead of seconds, and a kernel
pages in only the columns it touches. Arrow IPC rather than Parquet: nothing to decode or
decompress, so it maps straight into frames (Parquet is smaller, which does not matter here).
Its bytes depend on the pyarrow that wrote them, so they are not pinned in the manifest: the
build records each file's checksum with the checksum of the CSV it came from in
`<data dir>/.columnar.json`, and a copy recorded against another manifest, or none, is
rewritten from the verified CSV. Every call returns a fresh frame, so callers may mutate it.

A build must reproduce the CSVs' bytes exactly (tested), and a truncated or hand-edited file,
CSV or Arrow, is refused when loaded, with the command that restores it. Hashing 100 MB on
every read would be most of a hidden check's cost, so a file is hashed only when it is new or
changed: a verified file's stat signature (size, mtime_ns, ctime_ns, inode) is recorded in
`<data dir>/.verified.json`, and a file whose signature matches its record is not hashed
again. ctime cannot be set from user space, so
an edit that keeps the size and restores the mtime (`os.utime`) still changes the signature;
what this does not defend against is in docs/grading.md.

CLI:  python -m shoplab.datasets build [--out DIR]   # write all tables (CSV + Arrow)
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
import pyarrow as pa
import pyarrow.feather as feather

try:
    import fcntl
except ImportError:  # Windows: no lock, builds are still atomic per file
    fcntl = None

from shoplab.shopgen.schema import SCHEMA, dictionary_markdown

BUILD_COMMAND = "python -m shoplab.datasets build"
MANIFEST_NAME = "MANIFEST.sha256"
VERIFIED_NAME = ".verified.json"
COLUMNAR_NAME = ".columnar.json"


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
    """Generate every table: the CSVs (deterministic: same bytes every run), then their
    columnar copies."""
    from shoplab.shopgen import write_all

    out = Path(directory) if directory is not None else data_dir()
    write_all(out)
    pinned = manifest()
    for name, table in SCHEMA.items():
        csv = out / f"{name}.csv"
        _write_columnar(csv, _read(csv, table), pinned.get(csv.name))
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


def load_table(name: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Return table `name` as a fresh DataFrame with dates, datetimes and booleans parsed.

    Empty cells (e.g. `customer_id` of an anonymous session) are missing values (NaN).
    `columns` keeps only those columns, in that order: a kernel then holds and copies only
    what it uses (the sessions table has 15 columns and 840,000 rows).
    """
    if name not in SCHEMA:
        raise DatasetError(f"Unknown table {name!r}. Available tables: {', '.join(SCHEMA)}.")
    table = SCHEMA[name]
    unknown = [c for c in columns or () if c not in table.column_names]
    if unknown:
        raise DatasetError(
            f"The {name} table has no column(s) {', '.join(map(repr, unknown))}. "
            f"Its columns: {', '.join(table.column_names)}."
        )
    csv = data_dir() / f"{name}.csv"
    if not csv.exists():
        _ensure_built(csv)
    pinned = manifest().get(csv.name)
    try:
        _verify(csv, pinned, f"datasets/{MANIFEST_NAME}")
    except DatasetError:
        _read(csv, table)  # a malformed file is refused with what is wrong in it
        raise
    arrow = csv.with_suffix(".arrow")
    record = _records(csv.parent, COLUMNAR_NAME).get(arrow.name)
    if not arrow.exists() or not isinstance(record, dict) or record.get("csv_sha256") != pinned:
        frame = _read(csv, table)  # built before the columnar copies, or deleted: write it
        _write_columnar(csv, frame, pinned)
        return frame if columns is None else frame[list(columns)]
    _verify(arrow, record.get("sha256"), f"{COLUMNAR_NAME}, recorded when it was built")
    try:
        mapped = feather.read_table(arrow, memory_map=True)
        # select after mapping: read_table's own `columns=` copies the file into memory
        return (mapped if columns is None else mapped.select(list(columns))).to_pandas()
    except (OSError, pa.ArrowException) as exc:
        raise DatasetError(f"Could not read {arrow}: {exc}. {_rebuild_hint(arrow)}") from exc


def _write_columnar(csv: Path, frame: pd.DataFrame, csv_digest: str | None) -> None:
    """Write `frame` (the CSV as parsed) as the uncompressed Arrow copy beside it and record
    its checksum with the CSV's. Without pandas' metadata (it embeds pandas' version) the
    bytes depend only on the data and pyarrow. A read-only data directory keeps the CSV."""
    arrow = csv.with_suffix(".arrow")
    columns = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    try:
        fd, tmp = tempfile.mkstemp(dir=csv.parent, prefix=f".{arrow.name}", suffix=".tmp")
    except OSError:
        return
    os.close(fd)
    try:
        os.chmod(tmp, 0o644)  # as readable as the CSV (mkstemp makes it private)
        feather.write_feather(columns, tmp, compression="uncompressed")
        digest = checksum(Path(tmp))
        os.replace(tmp, arrow)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return
    _record(csv.parent, COLUMNAR_NAME, arrow.name, {"sha256": digest, "csv_sha256": csv_digest})


def _signature(path: Path) -> list[int]:
    """What changes whenever the file's bytes may have: any write or `os.utime` moves ctime,
    which user code cannot set back; a replaced file has a new inode."""
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _records(directory: Path, file_name: str) -> dict:
    try:
        records = json.loads((directory / file_name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, unreadable or half-written: every file is checked again
    return records if isinstance(records, dict) else {}


def _record(directory: Path, file_name: str, key: str, value: dict) -> None:
    """Set `key` in the JSON record file atomically (parallel graders each write a whole
    file; a lost record only costs one more hash). A read-only data directory records nothing."""
    records = _records(directory, file_name)
    records[key] = value
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=file_name, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(records, out, indent=1, sort_keys=True)
        os.replace(tmp, directory / file_name)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _rebuild_hint(path: Path) -> str:
    return (
        f"Rebuild it with `{BUILD_COMMAND}`"
        + (f" --out {path.parent}" if os.environ.get("SHOPLAB_DATA") else "")
        + "."
    )


def _verify(path: Path, expected: str | None, source: str) -> None:
    """Refuse a file whose checksum is not `expected` (named by `source`); hash it only if
    its signature differs from the one recorded when it last verified against `expected`."""
    signature = _signature(path)
    record = _records(path.parent, VERIFIED_NAME).get(path.name)
    if record == {"signature": signature, "sha256": expected}:
        return
    if checksum(path) == expected:
        _record(path.parent, VERIFIED_NAME, path.name, {"signature": signature, "sha256": expected})
        return
    raise DatasetError(
        f"{path} is not the course's {path.stem} table: it is truncated, edited or left "
        f"from another version (its checksum differs from {source}). "
        f"Delete it and run `{BUILD_COMMAND}`"
        + (f" --out {path.parent}" if os.environ.get("SHOPLAB_DATA") else "")
        + " to restore it."
    )


def _read(path: Path, table) -> pd.DataFrame:
    """Parse the CSV with the schema's dtypes (the slow path; the columnar copy is made from it)."""
    hint = _rebuild_hint(path)
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
