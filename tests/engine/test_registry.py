"""A chapter's identity (`graders.chapter`) and the table of contents (`graders.registry`)."""

import pytest

from graders import registry
from graders.chapter import Chapter, answer_id, exercise_of, grade_id


@pytest.mark.parametrize("spelling", [4, "4", "04", "ch04", "CH04", " 04 ", "04.2", Chapter(4)])
def test_every_spelling_of_a_chapter_is_one_value(spelling):
    chapter = Chapter.parse(spelling)
    assert chapter == Chapter(4)
    assert (chapter.code, chapter.assignment, chapter.notebook) == (
        "04", "ch04", "ch04_exercises.ipynb")


@pytest.mark.parametrize("bad", ["", "chapter 4", "ch", "4a", "100", -1, 100, True, "04.x"])
def test_a_bad_chapter_says_how_to_write_one(bad):
    with pytest.raises(ValueError, match="chapter"):
        Chapter.parse(bad)


def test_grade_ids_follow_one_rule_both_ways():
    assert grade_id("04.1") == "ex04_1" and answer_id("09.12") == "ex09_12_answer"
    assert exercise_of("ex04_1") == "04.1"
    assert exercise_of("ex04_1_answer") is None and exercise_of("setup") is None


def test_contents_list_every_chapter_once_in_order():
    numbers = [row.chapter.number for row in registry.CONTENTS]
    assert numbers == list(range(len(numbers))) and len(numbers) == 14
    assert registry.entry("ch04").title == "Pricing"


def test_every_chapter_with_exercises_is_in_the_contents():
    for chapter in registry.chapters():
        assert registry.entry(chapter).chapter.code == chapter


def test_unknown_exercise_names_the_chapter_and_its_ids():
    with pytest.raises(KeyError, match="04.1"):
        registry.find("04.99")
    with pytest.raises(KeyError, match="exercise ids look like"):
        registry.find("nonsense")


@pytest.mark.parametrize("spelling", ["04", "4", "ch04"])
def test_progress_takes_any_spelling_of_the_chapter(spelling, capsys):
    from graders import check, progress
    from graders.data import Data

    check("04.1", registry.find("04.1").reference(Data()))
    capsys.readouterr()
    progress(spelling)
    assert capsys.readouterr().out.startswith("Chapter 04: 1 of 9 exercises passed")


WRITTEN = [w for chapter in registry.chapters() for w in registry.written(chapter)]


def test_a_written_answer_has_an_id_no_exercise_cell_can_have():
    from graders.chapter import written_id
    from graders.spec import Written

    assert written_id("13.case") == "ex13_case" and exercise_of("ex13_case") is None
    for bad in ("13.1", "13", "case", "13.two words"):
        with pytest.raises(ValueError, match="written answer"):
            Written(bad, "t", (("c", 1, "w"),))
    with pytest.raises(ValueError, match="rubric"):
        Written("13.case", "t", ())
    assert Written("13.case", "t", (("a", 1, "x"), ("b", 2.5, "y"))).max_points == 3.5


@pytest.mark.skipif(not WRITTEN, reason="no chapter has a written answer")
def test_check_and_progress_say_a_written_answer_is_graded_by_the_instructor(capsys):
    from graders import check, progress

    written = WRITTEN[0]
    assert registry.find_written(written.id) is written
    assert registry.find_written(f"{written.chapter}.nothing") is None
    check(written.id)
    said = capsys.readouterr().out
    assert "graded by your instructor" in said and f"{written.max_points:g} points" in said
    progress(written.chapter)
    lines = capsys.readouterr().out.splitlines()
    exercises = registry.exercises(written.chapter)
    assert lines[0].endswith(f"of {sum(e.max_points for e in exercises):g} points on the checks "
                             "you ran.")  # the written answer's points are not in the sum
    assert any(line.startswith(f"✎ {written.id}") and "graded by your instructor" in line
               for line in lines)
