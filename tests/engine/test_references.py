"""Stored references (graders/references.py, shoplab/stored.py): read when their key matches,
computed again when it does not, never written by a check.

Each test works on a private data directory (SHOPLAB_DATA) that links to the built tables, so
the entries it stores, forges or damages are its own.
"""

from __future__ import annotations

import os

import pytest

from graders import references
from graders.data import Data
from graders.engine import PASSED, evaluate
from graders.registry import find
from shoplab import datasets, stored
from shoplab.shopgen import model

EXERCISE = "13.3"  # a reference computed from the sessions and orders of two Novembers


@pytest.fixture
def private_data(monkeypatch, tmp_path):
    built = datasets.data_dir()
    for path in built.iterdir():
        if path.is_file():
            (tmp_path / path.name).symlink_to(path)
    monkeypatch.setenv("SHOPLAB_DATA", str(tmp_path))
    return tmp_path


def entry_path(exercise) -> os.PathLike:
    return stored.path(f"exercise-{exercise.id}")


def test_build_stores_each_reference_and_a_check_reads_it(private_data):
    exercise = find(EXERCISE)
    assert not entry_path(exercise).exists()
    assert references.build([exercise]) == [EXERCISE]
    assert references.build([exercise]) == []  # up to date: nothing computed again
    right = exercise.reference(Data())
    assert references.answers(exercise).reference(Data()) == right
    assert evaluate(exercise, right, hidden=True).status == PASSED
    # what is read is the stored entry: one forged under the current key moves the target
    forged = "visits" if right != "visits" else "aov"
    stored.write(f"exercise-{exercise.id}", references._key(),
                 {"reference": forged, "mistakes": {}})
    assert evaluate(exercise, right, hidden=True).status != PASSED


@pytest.mark.parametrize("damage", ["stale key", "truncated", "not a pickle"])
def test_a_stale_or_damaged_entry_is_computed_again(private_data, damage):
    exercise = find(EXERCISE)
    right = exercise.reference(Data())
    forged = {"reference": "visits" if right != "visits" else "aov", "mistakes": {}}
    if damage == "stale key":
        stored.write(f"exercise-{exercise.id}", "another version of the code", forged)
    else:
        references.build([exercise])
        payload = entry_path(exercise).read_bytes()
        entry_path(exercise).write_bytes(payload[: len(payload) // 2] if damage == "truncated"
                                         else b"not a pickle")
    assert references.answers(exercise).reference(Data()) == right
    assert evaluate(exercise, right, hidden=True).status == PASSED


def test_a_check_never_writes_an_entry_even_with_a_patched_reference(private_data):
    exercise = find(EXERCISE)
    original = exercise.reference
    object.__setattr__(exercise, "reference", lambda data: "visits")
    try:
        evaluate(exercise, "visits", hidden=True)
    finally:
        object.__setattr__(exercise, "reference", original)
    assert not (private_data / stored.DIRECTORY).exists()


def test_the_key_follows_the_manifest(monkeypatch, tmp_path):
    before = stored.key.__wrapped__("graders")
    copy = tmp_path / datasets.MANIFEST_NAME
    copy.write_bytes(datasets.manifest_path().read_bytes() + b"\n")
    monkeypatch.setattr(datasets, "manifest_path", lambda: copy)
    assert stored.key.__wrapped__("graders") != before


def fresh_run(plan: model.FestivalPlan) -> model.Outcome:
    """Run the model with its in-memory caches emptied: the context comes from disk or is built."""
    for cached in (model._context, model._baskets, model._visit_order_p):
        cached.cache_clear()
    return model.run(plan)


def test_the_stored_model_context_runs_the_same_shop(private_data):
    assert model.store_context() is True
    assert model.store_context() is False  # already stored for this code
    reference = model._built_context(model.YEAR).reference
    plan = model.FestivalPlan(ad_spend=dict(reference["ad_spend"]), stock={},
                              threshold=reference["threshold"], reduction=reference["reduction"])
    try:
        from_disk = fresh_run(plan)
        stored.path(model._CONTEXT_NAME.format(year=model.YEAR)).unlink()
        built = fresh_run(plan)
        assert not stored.path(model._CONTEXT_NAME.format(year=model.YEAR)).exists()
    finally:
        fresh_run(plan)
    assert from_disk.profit == built.profit != 0
    assert from_disk.units.equals(built.units)
