"""The self-study record: the best score each exercise's check has given, kept between sessions.

A kernel forgets its checks when it stops, and a chapter lives in its own notebook, so the
course-wide `progress()` and the certificate read this small JSON file instead:

    $SHOPLAB_PROGRESS                                    if set, else
    $XDG_DATA_HOME/shoplab/progress.json                 ($XDG_DATA_HOME defaults to
    ~/.local/share/shoplab/progress.json                  ~/.local/share, per the XDG spec)

    {"version": 1, "exercises": {"04.1": {"score": 2.0, "max": 2.0, "when": "2026-…Z"}}}

Grading must not depend on, or leave traces on, the grading machine: under nbgrader
(`grading()`) the record is never read or written — `graders.learner` asks first. A record
that cannot be read (corrupt) or written (read-only home) never breaks a check: it warns once
per session and carries on; a corrupt file is set aside as `progress.json.corrupt`, not lost.
Writes are atomic (a temporary file in the same folder, then `os.replace`), so a kernel killed
mid-write leaves the old record, never half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from datetime import UTC, datetime
from pathlib import Path

VERSION = 1
_warned = False
UNKEPT = "these checks are not kept for progress() beyond this session."


def path() -> Path:
    """Where the record lives on this machine."""
    if os.environ.get("SHOPLAB_PROGRESS"):
        return Path(os.environ["SHOPLAB_PROGRESS"]).expanduser()
    data = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data) / "shoplab" / "progress.json"


def _warn(message: str) -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(f"Shop Lab's progress record: {message} Your checks still work.",
                      RuntimeWarning, stacklevel=3)


def read() -> dict[str, dict]:
    """{exercise id: {"score", "max", "when"}}; empty if there is no record or it is unusable."""
    return _load()[0]


def _load() -> tuple[dict[str, dict], bool]:
    """(the record, whether it may be written over): a record that exists but cannot be read
    must not be replaced by one holding only the latest check."""
    where = path()
    try:
        text = where.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return {}, True
    except OSError as error:
        _warn(f"cannot read {where} ({error.strerror}); {UNKEPT}")
        return {}, False
    try:
        data = json.loads(text)
        exercises = data["exercises"]
        if data.get("version") != VERSION or not all(
                isinstance(e, dict) and isinstance(e.get("score"), (int, float))
                for e in exercises.values()):
            raise ValueError
        return exercises, True
    except (ValueError, KeyError, TypeError, AttributeError):
        aside = where.with_name(where.name + ".corrupt")
        try:
            os.replace(where, aside)
            _warn(f"{where} was not readable; it is set aside as {aside.name} and a new "
                  "record starts.")
        except OSError:
            _warn(f"{where} is not readable and could not be set aside; {UNKEPT}")
            return {}, False
        return {}, True


def note(exercise_id: str, score: float, max_points: float) -> None:
    """Keep the best score this exercise has earned (a worse re-check keeps the better one)."""
    exercises, writable = _load()
    best = exercises.get(exercise_id, {}).get("score", -1.0)
    if score <= best or not writable:
        return
    exercises[exercise_id] = {"score": score, "max": max_points,
                              "when": datetime.now(UTC).isoformat(timespec="seconds")}
    _write({"version": VERSION, "exercises": exercises})


def _write(data: dict) -> None:
    where = path()
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=where.parent, prefix=".progress-",
                                             suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, indent=1, sort_keys=True)
            os.replace(temporary, where)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        _warn(f"cannot write {where} ({error.strerror or error}); {UNKEPT}")
