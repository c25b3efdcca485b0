"""`shoplab`: the instructor's one command line over nbgrader.

    shoplab release ch04 | --all [--exchange]     generate (and publish) student notebooks
    shoplab collect ch04 downloads.zip|DIR        LMS download -> submitted/<student>/ch04/
    shoplab grade ch04 [--force] [--workers N]    autograde everything, in parallel
                  [--shard K/N | --shards N]      ... only a stable 1/N of the class
                  [--scheduler tcp://HOST:PORT]   ... on a Dask cluster
    shoplab feedback ch04                         feedback HTML for every graded learner
    shoplab export ch04 --out grades.csv          grades for an LMS (--canvas, --moodle)
    shoplab report ch04 --out report.html         the class report (offline HTML)
    shoplab simulate ch04 --students 40 --seed 1  a synthetic class, for demos and tests
    shoplab learner-copy OUT [--branch learner]   the course without solutions, for learners

Every command works on the nbgrader course directory given by --course (default: here). A
chapter may be written 4, 04 or ch04 (`graders.chapter.Chapter`). `course_command` gives each
command its course, its checked chapter and one way of reporting what an instructor must fix.
"""

from __future__ import annotations

import functools
import re
import warnings
from pathlib import Path

import click

from graders.chapter import Chapter
from graders.engine import RESULT_MIME
from shoplab.instructor.course import Course, CourseError
from shoplab.instructor.gradebook_db import prepared


class ChapterType(click.ParamType):
    """A chapter on the command line: 4, 04 or ch04."""

    name = "chapter"

    def convert(self, value, param, ctx) -> Chapter:
        try:
            return Chapter.parse(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


CHAPTER = ChapterType()


class _Commands(click.Group):
    """Every command: a gradebook that fails (wrong db_url, server gone) is one line."""

    def invoke(self, ctx):
        from sqlalchemy.exc import SQLAlchemyError

        from shoplab.instructor.gradebook_db import failure

        try:
            return super().invoke(ctx)
        except SQLAlchemyError as error:
            raise click.ClickException(failure(error)) from None


@click.group(cls=_Commands)
def main() -> None:
    """Shop Lab for instructors: release, collect, grade, feed back, export, report."""


def course_command(*, chapter: bool = True):
    """Register a `main` subcommand that takes `--course` (and a CHAPTER argument, first):
    the function gets the `Course` and the checked assignment name ("ch04"); a CourseError
    becomes a plain error message and exit status 1."""
    def register(function):
        @functools.wraps(function)
        def command(course_dir, **kwargs):
            try:
                course = Course.at(course_dir)
                if chapter:
                    kwargs["chapter"] = course.check_chapter(kwargs["chapter"].assignment)
                return function(course, **kwargs)
            except CourseError as error:
                raise click.ClickException(str(error)) from None

        command = click.option(
            "--course", "course_dir", default=".", show_default=True,
            type=click.Path(file_okay=False, exists=True), help="nbgrader course root.")(command)
        if chapter:
            command = click.argument("chapter", type=CHAPTER)(command)
        return main.command()(command)
    return register


@course_command(chapter=False)
@click.argument("chapters", nargs=-1, type=CHAPTER)
@click.option("--all", "everything", is_flag=True, help="Every chapter in source/.")
@click.option("--exchange", is_flag=True,
              help="Also publish to the nbgrader exchange (JupyterHub with nbgrader).")
def release(course, chapters, everything, exchange):
    """Generate the student version of CHAPTERS (nbgrader generate_assignment)."""
    names = course.chapters() if everything else [
        course.check_chapter(c.assignment) for c in chapters]
    if not names:
        raise click.UsageError("Name a chapter (e.g. ch04) or pass --all.")
    prepared(course)  # a wrong db_url is one line here, not nbgrader's traceback
    for name in names:
        course.generate(name)
        if exchange:
            course.nbgrader("release_assignment", name, "--force")
        where = " and to the exchange" if exchange else ""
        click.echo(f"{name}: released to release/{name}/{where}")


@course_command()
@click.option("--workers", type=int, default=None, help="Parallel graders [default: cores].")
@click.option("--force", is_flag=True, help="Re-grade submissions that are already graded.")
@click.option("--student", "students", multiple=True, help="Only these students (repeatable).")
@click.option("--timeout", type=int, default=None,
              help="Seconds per cell [default: Execute.timeout in nbgrader_config.py].")
@click.option("--memory-mb", type=int, default=4096, show_default=True,
              help="Memory limit of each student's kernel.")
@click.option("--output-kb", type=int, default=1000, show_default=True,
              help="Output kept per cell.")
@click.option("--shard", default=None, metavar="K/N",
              help="Grade only shard K of N (stable by student id), e.g. one per machine.")
@click.option("--shards", type=int, default=None, metavar="N",
              help="N shards, this one from JOB_COMPLETION_INDEX (Kubernetes Indexed Job).")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Grade on this Dask cluster instead of local workers.")
def grade(course, chapter, workers, force, students, timeout, memory_mb, output_kb, shard, shards,
          scheduler):
    """Autograde every submission of CHAPTER in parallel (resumable)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from shoplab.instructor.executors import parse_shard
    from shoplab.instructor.grading import FAILED, SKIPPED, Limits, grade_class

    console = Console(stderr=True)
    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn(), console=console) as bar:
        task = bar.add_task(f"grading {chapter}", total=None)
        outcomes = grade_class(
            course, chapter, workers=workers, force=force, only=students,
            limits=Limits(timeout, memory_mb, output_kb),
            shard=parse_shard(shard, shards), scheduler=scheduler,
            on_start=lambda total: bar.update(task, total=total),
            on_done=lambda outcome: bar.advance(task))
    graded = [o for o in outcomes if o.status not in (FAILED, SKIPPED)]
    skipped = [o for o in outcomes if o.status == SKIPPED]
    click.echo(f"{chapter}: {len(graded)} graded, {len(skipped)} already graded (skipped; "
               f"--force re-grades), {len(outcomes) - len(graded) - len(skipped)} not graded.")
    attention = [o for o in outcomes if o.problems]
    if attention:
        click.echo("Needs a look:")
        for outcome in attention:
            verdict = "NOT GRADED" if outcome.status == FAILED else (
                f"graded {outcome.score:g}/{outcome.max_score:g}")
            click.echo(f"  {outcome.student}: {verdict} — {'; '.join(outcome.problems)}")


@course_command()
@click.argument("download", type=click.Path(exists=True))
@click.option("--regexp", default=None,
              help="FileNameCollectorPlugin.named_regexp for your LMS's file names.")
def collect(course, chapter, download, regexp):
    """File an LMS DOWNLOAD (zip or folder) into submitted/ (nbgrader zip_collect)."""
    from shoplab.instructor.submissions import DEFAULT_REGEXP
    from shoplab.instructor.submissions import collect as file_download

    file_download(course, chapter, Path(download), regexp or DEFAULT_REGEXP)
    click.echo(f"{chapter}: {len(course.students(chapter))} learners in submitted/")


@course_command()
def feedback(course, chapter):
    """Write feedback HTML for every graded learner (nbgrader generate_feedback)."""
    prepared(course)
    if not any((course.root / "autograded").glob(f"*/{chapter}")):
        raise click.ClickException(
            f"nothing graded for {chapter} yet: run `shoplab grade {chapter}` first")
    with warnings.catch_warnings():
        # nbconvert warns about every output it cannot draw: the results published as data
        # for the report (graders.engine.RESULT_MIME) are meant not to be drawn.
        warnings.filterwarnings("ignore", category=UserWarning, message=re.escape(
            f"Your element with mimetype(s) dict_keys(['{RESULT_MIME}'])"))
        result = course.api().generate_feedback(chapter, force=True)
    if not result["success"]:
        raise click.ClickException(f"generate_feedback failed:\n{result.get('error', '')}")
    click.echo(f"{chapter}: feedback in {course.root / 'feedback'}/<student>/{chapter}/")


@course_command()
@click.option("--out", type=click.Path(dir_okay=False), default="grades.csv", show_default=True)
@click.option("--canvas", nargs=2, default=None, metavar="DOWNLOAD OUT",
              type=(click.Path(exists=True, dir_okay=False), click.Path(dir_okay=False)),
              help="Fill in the gradebook CSV downloaded from Canvas; write it to OUT.")
@click.option("--moodle", type=click.Path(dir_okay=False), default=None, metavar="OUT",
              help="Also write Moodle's grade-import CSV (keyed by ID number) to OUT.")
def export(course, chapter, out, canvas, moodle):
    """Export CHAPTER's grades as a CSV (and files Canvas and Moodle import)."""
    from shoplab.instructor.export import export_csv
    from shoplab.instructor.lms import CanvasExport, MoodleExport, run_export

    click.echo(f"{export_csv(course, chapter, Path(out))} learners written to {out}")
    jobs = [(CanvasExport, Path(canvas[1]), {"gradebook_csv": canvas[0]})] if canvas else []
    jobs += [(MoodleExport, Path(moodle), {})] if moodle else []
    for plugin, target, settings in jobs:
        try:
            exporter = run_export(course, plugin, chapter, target, **settings)
        except ValueError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"{plugin.__name__.removesuffix('Export')} grades written to {target}")
        for line in exporter.unmatched:
            click.echo(f"  not matched, add to the LMS by hand: {line}")


@course_command()
@click.option("--out", type=click.Path(dir_okay=False), default="report.html", show_default=True)
def report(course, chapter, out):
    """Write the class report for CHAPTER: scores, exercises, misconceptions (HTML)."""
    from shoplab.instructor.report import write_report

    write_report(course, chapter, Path(out))
    click.echo(f"report written to {out}")


@course_command()
@click.option("--students", type=int, default=40, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Course root to write submitted/ into [default: --course].")
def simulate(course, chapter, students, seed, out):
    """Write a reproducible synthetic class of STUDENTS submissions for CHAPTER."""
    from shoplab.instructor.simulate import simulate as write_class

    target = Path(out) if out else course.root
    ids = write_class(course, chapter, students, seed, target)
    click.echo(f"{len(ids)} submissions written to {target / 'submitted'}")


@main.command()
@click.argument("chapters", nargs=-1, type=CHAPTER)
def references(chapters):
    """Store what the checks of CHAPTERS (default: all) compute from the data, computed once.

    Each exercise's references, and for chapter 13 the Double 11 model's context: every check
    and hidden grade reads them from disk instead of computing them again (shoplab.stored;
    kernels never write them). `make setup` runs this, and `shoplab grade` for its chapter."""
    from graders.registry import chapters as all_chapters
    from shoplab.datasets import data_dir
    from shoplab.instructor.grading import store_references
    from shoplab.stored import DIRECTORY

    codes = [c.code for c in chapters] or all_chapters()
    built = [i for code in codes for i in store_references(code)]
    click.echo(f"references of {len(built)} exercises stored in {data_dir() / DIRECTORY}"
               + ("" if built else " (all were up to date)"))


@main.command("learner-copy")
@click.argument("out", type=click.Path(file_okay=False))
@click.option("--course", "course_dir", default=".", show_default=True,
              type=click.Path(file_okay=False, exists=True), help="The course repository.")
@click.option("--branch", default=None, help="Also commit the copy to this local branch.")
def learner_copy(out, course_dir, branch):
    """Build the learner's copy of the course in OUT: no solutions, no held-back cases."""
    from shoplab.instructor.learner_copy import LearnerCopyError, build

    try:
        paths = build(Path(out), Path(course_dir).resolve(), branch)
    except LearnerCopyError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"learner's copy: {len(paths)} files in {out}"
               + (f", committed to branch {branch}" if branch else ""))
