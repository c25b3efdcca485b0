"""Course levels: the rule (`graders.levels`) on hand-made score tables, the self-study record
(`graders.record`) a check writes, the course-wide `progress()` and the certificate page."""

from datetime import date
from pathlib import Path

import pytest

from graders import certificate, check, coursewide, levels, progress, record, registry
from graders.answers import Function
from graders.data import Data
from graders.learner import Link
from graders.levels import CAPSTONE, FOUNDATION, HIGH, PASS, standing

ROOT = Path(__file__).resolve().parents[2]
BUILT = {f"{n:02d}": 10.0 for n in range(13)}  # a course of chapters 00-12, 10 points each
WITH_CAPSTONE = {**BUILT, CAPSTONE: 10.0}
LATER = "07"  # a built chapter outside the foundation


def table(points, default, **chapters):
    """Every chapter of `points` at `default`, except those given as ch05=0.5."""
    shares = dict.fromkeys(points, default)
    shares.update({name.removeprefix("ch"): share for name, share in chapters.items()})
    return shares


# --- the rule --------------------------------------------------------------------------


def test_no_scores_no_level_and_the_foundation_is_what_is_missing():
    now = standing({}, BUILT)
    assert (now.level, now.next) == (None, "初级")
    assert now.missing == tuple(f"chapter {c} at 60 % (now 0 %)" for c in FOUNDATION)


@pytest.mark.parametrize("share, level", [(PASS, "初级"), (PASS - 0.01, None)])
def test_foundation_boundary(share, level):
    now = standing(table(BUILT, 0.0, ch00=1.0, ch01=1.0, ch02=1.0, ch03=1.0, ch04=share), BUILT)
    assert now.level == level
    if level is None:
        assert now.missing == ("chapter 04 at 60 % (now 59 %)",)
    else:
        assert now.next == "中级" and f"chapter {LATER} at 60 % (now 0 %)" in now.missing


@pytest.mark.parametrize("share, level", [(PASS, "中级"), (PASS - 0.01, "初级")])
def test_every_built_chapter_boundary(share, level):
    assert standing(table(BUILT, 1.0, **{f"ch{LATER}": share}), BUILT).level == level


def test_the_capstone_is_not_needed_for_the_middle_level():
    now = standing(table(WITH_CAPSTONE, 1.0, **{f"ch{CAPSTONE}": 0.0}), WITH_CAPSTONE)
    assert (now.level, now.missing) == ("中级", (f"chapter {CAPSTONE} at 60 % (now 0 %)",))


def test_the_top_level_needs_the_capstone_built():
    now = standing(table(BUILT, 1.0), BUILT)
    assert (now.level, now.next) == ("中级", "高级")
    assert now.missing == (f"chapter {CAPSTONE} built in your copy of the course",)


@pytest.mark.parametrize("capstone, level", [(PASS, "高级"), (PASS - 0.01, "中级")])
def test_capstone_boundary(capstone, level):
    now = standing(table(WITH_CAPSTONE, 1.0, **{f"ch{CAPSTONE}": capstone}), WITH_CAPSTONE)
    assert now.level == level
    assert now.missing == (() if level == "高级" else (f"chapter {CAPSTONE} at 60 % (now 59 %)",))


@pytest.mark.parametrize("overall, level", [(HIGH, "高级"), (HIGH - 0.01, "中级")])
def test_overall_boundary(overall, level):
    now = standing(table(WITH_CAPSTONE, overall), WITH_CAPSTONE)
    assert now.level == level
    if level == "中级":
        assert now.missing == ("80 % of all points (now 79 %)",)


def test_overall_weighs_chapters_by_their_points():
    points = {**WITH_CAPSTONE, "06": 100.0}  # one big chapter, 13 small ones
    # by points 86 % and 78 %; a plain mean of the chapters' shares would say 77 % and 84 %
    assert standing(table(points, 0.75, ch06=1.0), points).level == "高级"
    assert standing(table(points, 0.85, ch06=0.7), points).level == "中级"


def test_partial_credit_rounding_never_costs_a_level():
    shares = table(BUILT, 1.0, **{f"ch{LATER}": 1.8 / 3 - 1e-12})
    assert standing(shares, BUILT).level == "中级"


def test_a_chapter_not_built_is_ignored_and_a_missing_one_counts_zero():
    shares = {**table(BUILT, 1.0), "99": 0.0}
    del shares[LATER]
    now = standing(shares, BUILT)
    assert now.level == "初级" and now.missing == (f"chapter {LATER} at 60 % (now 0 %)",)


def test_a_foundation_chapter_this_copy_lacks_must_be_built():
    points = {c: p for c, p in BUILT.items() if c != "02"}
    now = standing(table(points, 1.0), points)
    assert now.level is None and now.missing == ("chapter 02 built in your copy of the course",)


def test_built_chapters_and_their_points_come_from_the_registry():
    points = levels.chapter_points()
    assert list(points) == registry.chapters()
    assert points["04"] == sum(e.max_points for e in registry.exercises("04")) > 0


def test_the_named_chapters_are_the_courses():
    assert [registry.entry(c).chapter.code for c in FOUNDATION] == ["00", "01", "02", "03", "04"]
    assert registry.entry(CAPSTONE).title.startswith("Capstone")


def test_docs_state_the_rule_the_code_applies():
    grading_doc = (ROOT / "docs" / "grading.md").read_text()
    assert levels.rule_text() in grading_doc
    for doc in ("README.md", "docs/instructors.md"):
        assert "grading.md#levels" in (ROOT / doc).read_text(), doc


# --- the record ------------------------------------------------------------------------


@pytest.fixture
def where(tmp_path, monkeypatch):
    """A fresh record file, a fresh session and a fresh "warn once"."""
    target = tmp_path / "record" / "progress.json"
    monkeypatch.setenv("SHOPLAB_PROGRESS", str(target))
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setattr(record, "_warned", False)
    monkeypatch.setattr("graders.learner._results", {})
    return target


@pytest.fixture(scope="module")
def data():
    return Data()


def answer(exercise_id, data):
    exercise = registry.find(exercise_id)
    return exercise.reference if isinstance(exercise.answer, Function) else \
        exercise.reference(data)


def test_the_record_lives_where_the_environment_says(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPLAB_PROGRESS", str(tmp_path / "mine.json"))
    assert record.path() == tmp_path / "mine.json"
    monkeypatch.delenv("SHOPLAB_PROGRESS")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert record.path() == tmp_path / "xdg" / "shoplab" / "progress.json"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert record.path() == tmp_path / "home" / ".local" / "share" / "shoplab" / "progress.json"


def test_a_check_records_its_best_score(where, data, capsys):
    check("04.1", answer("04.1", data))
    best = registry.find("04.1").max_points
    assert record.read()["04.1"]["score"] == best
    check("04.1", ...)  # a worse re-check keeps the better score
    assert record.read()["04.1"]["score"] == best
    assert "not attempted" in capsys.readouterr().out
    assert [p.name for p in where.parent.iterdir()] == ["progress.json"]  # no temporary left


def test_grading_neither_reads_nor_writes_the_record(where, data, monkeypatch, recwarn):
    where.parent.mkdir(parents=True)
    where.write_text("{ not json")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    check("04.1", answer("04.1", data))
    progress()
    certificate("A Learner", where.parent / "page.html")
    assert where.read_text() == "{ not json"  # not read (it would be set aside), not written
    assert sorted(p.name for p in where.parent.iterdir()) == ["progress.json"]
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_grading_writes_no_record_where_there_was_none(where, data, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    check("04.1", answer("04.1", data))
    assert not where.parent.exists()


def test_a_corrupt_record_is_set_aside_with_one_warning(where, data, capsys):
    where.parent.mkdir(parents=True)
    where.write_text('{"version": 1, "exercises": {"04.1": "two points"}}')
    with pytest.warns(RuntimeWarning, match="set aside as progress.json.corrupt") as caught:
        check("04.1", answer("04.1", data))
        where.write_text("][")
        check("04.2", answer("04.2", data))
    assert len(caught) == 1
    assert "correct" in capsys.readouterr().out  # the check itself carried on
    assert set(record.read()) == {"04.2"}
    assert where.with_name("progress.json.corrupt").read_text() == "]["


def test_an_unwritable_record_never_breaks_a_check(where, data, capsys):
    where.parent.parent.mkdir(parents=True, exist_ok=True)
    where.parent.write_text("a file where the record's folder should be")
    with pytest.warns(RuntimeWarning, match="cannot write") as caught:
        check("04.1", answer("04.1", data))
        check("04.2", answer("04.2", data))
    assert len(caught) == 1
    assert capsys.readouterr().out.count("correct") == 2
    progress()  # this session's checks still count
    assert f"04 Pricing: {registry.find('04.1').max_points + registry.find('04.2').max_points:g} " \
        in capsys.readouterr().out


def test_a_failed_write_leaves_the_old_record(where, monkeypatch):
    record.note("04.1", 1.0, 2.0)
    before = where.read_text()

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(record.json, "dump", broken)
    with pytest.warns(RuntimeWarning, match="No space left"):
        record.note("04.1", 2.0, 2.0)
    assert where.read_text() == before
    assert [p.name for p in where.parent.iterdir()] == ["progress.json"]


def test_a_record_that_cannot_be_read_is_not_written_over(where, monkeypatch):
    record.note("04.1", 2.0, 2.0)
    before = where.read_text()
    real = Path.read_text

    def denied(self, *args, **kwargs):
        if self == where:
            raise PermissionError(13, "Permission denied")
        return real(self, *args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(Path, "read_text", denied)
        with pytest.warns(RuntimeWarning, match="cannot read .*Permission denied"):
            record.note("04.2", 2.0, 2.0)
    assert where.read_text() == before


# --- progress() and the certificate ----------------------------------------------------


def full_marks(chapters):
    for chapter in chapters:
        for exercise in registry.exercises(chapter):
            record.note(exercise.id, exercise.max_points, exercise.max_points)


def test_course_progress_shows_every_chapter_and_the_next_level(where, capsys):
    full_marks(FOUNDATION)
    record.note("05.1", 1.0, registry.find("05.1").max_points)
    progress()
    text = capsys.readouterr().out
    assert text.startswith(f"Course progress, from your checks (kept in {where}):")
    for chapter in registry.chapters():
        assert f"\n  {chapter} {registry.entry(chapter).title}: " in text
    five = sum(e.max_points for e in registry.exercises("05"))
    assert f"05 Promotions, coupons & holiday marketing: 1 of {five:g} points" in text
    assert "Level: 初级.\nFor 中级 you still need:\n" in text
    assert f"  - chapter {LATER} at 60 % (now 0 %)\n" in text
    assert levels.rule_text() in text
    assert 'from graders import certificate, then certificate("Your Name")' in text


def test_course_progress_with_no_record(where, capsys):
    progress()
    text = capsys.readouterr().out
    assert "Level: none yet.\nFor 初级 you still need:\n  - chapter 00 at 60 % (now 0 %)" in text
    assert "certificate(" not in text


def test_no_level_no_certificate(where, tmp_path, capsys):
    certificate("A Learner", tmp_path / "page.html")
    assert not (tmp_path / "page.html").exists()
    assert "No level yet, so no certificate. For 初级: chapter 00 at 60 %" in \
        capsys.readouterr().out


def test_a_certificate_needs_a_name(where, tmp_path, capsys):
    full_marks(FOUNDATION)
    certificate("  ", tmp_path / "page.html")
    assert not (tmp_path / "page.html").exists()
    assert 'needs your name: certificate("Your Name")' in capsys.readouterr().out


def test_the_certificate_is_a_printable_honest_page(where, tmp_path, capsys):
    full_marks(FOUNDATION)
    out = tmp_path / "page.html"
    certificate("Li <Ming> & co", out)
    assert capsys.readouterr().out.strip() == \
        f"Your 初级 certificate: {out} (open it, then print it)"
    page = out.read_text()
    assert "<strong>Li &lt;Ming&gt; &amp; co</strong>" in page
    assert '<p class="level">初级</p>' in page and date.today().isoformat() in page
    for row in coursewide.rows():
        assert f"<tr><td>{row.chapter}</td>" in page
    pricing = sum(e.max_points for e in registry.exercises("04"))
    assert f"<td class=num>{pricing:g} / {pricing:g}</td><td class=num>100 %</td>" in page
    assert "It is not an instructor&#x27;s grade" in page and str(where) in page
    assert "@media print" in page and "@page" in page
    assert "<script" not in page and "src=" not in page and "http" not in page


def test_the_certificate_link_in_a_notebook():
    link = Link(Path("shoplab-certificate.html"), "Your 初级 <certificate>")
    assert link._repr_html_() == ('<a href="shoplab-certificate.html" target="_blank">'
                                  "Your 初级 &lt;certificate&gt;</a>")
