"""`shoplab`: the instructor's one command line over nbgrader.

    shoplab release ch04 | --all [--exchange]     generate (and publish) student notebooks
    shoplab collect ch04 downloads.zip|DIR        LMS download -> submitted/<student>/ch04/
    shoplab grade ch04 [--force] [--workers N]    autograde everything, in parallel
                  [--shard K/N | --shards N]      ... only a stable 1/N of the class
                  [--scheduler tcp://HOST:PORT]   ... on a Dask cluster
    shoplab feedback ch04                         feedback HTML for every graded learner
    shoplab export ch04 --out grades.csv          grades for an LMS
    shoplab report ch04 --out report.html         the class report (offline HTML)
    shoplab simulate ch04 --students 40 --seed 1  a synthetic class, for demos and tests

Every command works on the nbgrader course directory given by --course (default: here).
"""

from __future__ import annotations

from pathlib import Path

import click

from shoplab.instructor.course import Course, CourseError

course_option = click.option(
    "--course", "course_dir", default=".", show_default=True,
    type=click.Path(file_okay=False, exists=True), help="nbgrader course root.")


def _course(course_dir: str) -> Course:
    try:
        return Course.at(course_dir)
    except CourseError as error:
        raise click.ClickException(str(error)) from None


def _chapter(course: Course, chapter: str) -> str:
    try:
        return course.check_chapter(chapter)
    except CourseError as error:
        raise click.ClickException(str(error)) from None


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


@main.command()
@click.argument("chapters", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Every chapter in source/.")
@click.option("--exchange", is_flag=True,
              help="Also publish to the nbgrader exchange (JupyterHub with nbgrader).")
@course_option
def release(chapters, everything, exchange, course_dir):
    """Generate the student version of CHAPTERS (nbgrader generate_assignment)."""
    course = _course(course_dir)
    names = course.chapters() if everything else [_chapter(course, c) for c in chapters]
    if not names:
        raise click.UsageError("Name a chapter (e.g. ch04) or pass --all.")
    for name in names:
        try:
            course.nbgrader("generate_assignment", name, "--force")
            if exchange:
                course.nbgrader("release_assignment", name, "--force")
        except CourseError as error:
            raise click.ClickException(str(error)) from None
        where = " and to the exchange" if exchange else ""
        click.echo(f"{name}: released to release/{name}/{where}")


@main.command()
@click.argument("chapter")
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
@course_option
def grade(chapter, workers, force, students, timeout, memory_mb, output_kb, shard, shards,
          scheduler, course_dir):
    """Autograde every submission of CHAPTER in parallel (resumable)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from shoplab.instructor.executors import parse_shard
    from shoplab.instructor.grading import FAILED, SKIPPED, Limits, grade_class

    course = _course(course_dir)
    _chapter(course, chapter)
    console = Console(stderr=True)
    try:
        with Progress("[progress.description]{task.description}", BarColumn(),
                      MofNCompleteColumn(), TimeRemainingColumn(), console=console) as bar:
            task = bar.add_task(f"grading {chapter}", total=None)
            outcomes = grade_class(
                course, chapter, workers=workers, force=force, only=students,
                limits=Limits(timeout, memory_mb, output_kb),
                shard=parse_shard(shard, shards), scheduler=scheduler,
                on_start=lambda total: bar.update(task, total=total),
                on_done=lambda outcome: bar.advance(task))
    except CourseError as error:
        raise click.ClickException(str(error)) from None
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


@main.command()
@click.argument("chapter")
@click.argument("download", type=click.Path(exists=True))
@click.option("--regexp", default=None,
              help="FileNameCollectorPlugin.named_regexp for your LMS's file names.")
@course_option
def collect(chapter, download, regexp, course_dir):
    """File an LMS DOWNLOAD (zip or folder) into submitted/ (nbgrader zip_collect)."""
    from shoplab.instructor.submissions import DEFAULT_REGEXP
    from shoplab.instructor.submissions import collect as file_download

    course = _course(course_dir)
    _chapter(course, chapter)
    try:
        file_download(course, chapter, Path(download), regexp or DEFAULT_REGEXP)
    except CourseError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{chapter}: {len(course.students(chapter))} learners in submitted/")


@main.command()
@click.argument("chapter")
@course_option
def feedback(chapter, course_dir):
    """Write feedback HTML for every graded learner (nbgrader generate_feedback)."""
    course = _course(course_dir)
    _chapter(course, chapter)
    result = course.api().generate_feedback(chapter, force=True)
    if not result["success"]:
        raise click.ClickException(f"generate_feedback failed:\n{result.get('error', '')}")
    click.echo(f"{chapter}: feedback in {course.root / 'feedback'}/<student>/{chapter}/")


@main.command()
@click.argument("chapter")
@click.option("--out", type=click.Path(dir_okay=False), default="grades.csv", show_default=True)
@course_option
def export(chapter, out, course_dir):
    """Export CHAPTER's grades as a CSV for an LMS."""
    from shoplab.instructor.export import export_csv

    course = _course(course_dir)
    _chapter(course, chapter)
    click.echo(f"{export_csv(course, chapter, Path(out))} learners written to {out}")


@main.command()
@click.argument("chapter")
@click.option("--out", type=click.Path(dir_okay=False), default="report.html", show_default=True)
@course_option
def report(chapter, out, course_dir):
    """Write the class report for CHAPTER: scores, exercises, misconceptions (HTML)."""
    from shoplab.instructor.report import write_report

    course = _course(course_dir)
    _chapter(course, chapter)
    write_report(course, chapter, Path(out))
    click.echo(f"report written to {out}")


@main.command()
@click.argument("chapter")
@click.option("--students", type=int, default=40, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Course root to write submitted/ into [default: --course].")
@course_option
def simulate(chapter, students, seed, out, course_dir):
    """Write a reproducible synthetic class of STUDENTS submissions for CHAPTER."""
    from shoplab.instructor.simulate import simulate as write_class

    course = _course(course_dir)
    _chapter(course, chapter)
    target = Path(out) if out else course.root
    ids = write_class(course, chapter, students, seed, target)
    click.echo(f"{len(ids)} submissions written to {target / 'submitted'}")
