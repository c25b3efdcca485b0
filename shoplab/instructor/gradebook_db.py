"""The gradebook behind nbgrader's `CourseDirectory.db_url`: SQLite or PostgreSQL.

SQLite (the default, `sqlite:///gradebook.db`) suits one machine. A hub where several
graders and TAs write at once, or grading spread over machines, points every one of them at
one PostgreSQL database instead:

    c.CourseDirectory.db_url = "postgresql://grader@gradebook.example.org:5432/shoplab"

(the password is best left out of the file: libpq reads it from `PGPASSWORD` or ~/.pgpass).

nbgrader creates its tables the first time it opens an empty database, but several graders
doing that at once race on `CREATE TABLE` and on the course and assignment rows. So every
grading run first opens the gradebook once under a PostgreSQL advisory lock (`prepared`):
whoever comes first creates the schema and registers the assignment, the others wait and
then find it. Afterwards nbgrader's own transactions keep concurrent writers apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from shoplab.instructor.course import Course, CourseError

LOCK_KEY = 2_504_25  # arbitrary; the same in every Shop Lab grader, so they exclude each other
GONE = re.compile(r"(sqlalchemy\.exc\.OperationalError|psycopg\.OperationalError"
                  r"|server closed the connection|connection to server .* failed)")


class GradebookError(CourseError):
    """The gradebook cannot be opened or stopped answering: a one-line reason."""


def describe(url: str) -> str:
    """The URL without its password, fit for an error message."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown as typed
        return url


def _reason(error: BaseException) -> str:
    """The driver's own message (not SQLAlchemy's wrapping and SQL), on one line."""
    return " ".join(str(getattr(error, "orig", None) or error).split())


def failure(error: BaseException) -> str:
    """One line for a gradebook error met outside `shoplab grade` (export, report, ...)."""
    return (f"the gradebook failed ({_reason(error)}): check CourseDirectory.db_url in "
            "nbgrader_config.py and that its database server is running")


def unreachable(course: Course, url: str, error: BaseException, *, mid_run: bool = False
                ) -> GradebookError:
    """One line naming the URL, the setting to fix and the driver's reason."""
    reason = _reason(error)
    where = f"CourseDirectory.db_url in {course.root / 'nbgrader_config.py'}"
    if mid_run:
        return GradebookError(
            f"the gradebook {describe(url)} stopped answering mid-run ({reason}); "
            "submissions graded before that are kept, the rest are not marked graded: "
            "run the same command again once it is back")
    return GradebookError(f"cannot open the gradebook {describe(url)} ({reason}): "
                          f"check {where}")


def is_gone(text: str) -> bool:
    """Does an nbgrader error log say the database connection failed?"""
    return bool(GONE.search(text))


@contextmanager
def _exclusive(url: str) -> Iterator[None]:
    """Hold a PostgreSQL advisory lock (other databases: no lock needed or possible)."""
    from sqlalchemy import create_engine, text

    if not url.startswith("postgresql"):
        yield
        return
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
    finally:
        engine.dispose()


def prepared(course: Course, setup: Callable[[str], None] = lambda url: None) -> str:
    """Open the gradebook once, alone: create nbgrader's schema and the course rows, run
    `setup(url)` (e.g. register an assignment); return the URL. Raise GradebookError."""
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SQLAlchemyError

    config = course.config()
    url = config.CourseDirectory.db_url
    try:
        with _exclusive(url):
            # the default course row (opened without a course id) and the course's own
            for course_id in ("default_course", config.CourseDirectory.get("course_id", "")):
                Gradebook(url, course_id=course_id).close()
            setup(url)
    except (SQLAlchemyError, ImportError) as error:  # ImportError: no driver installed
        raise unreachable(course, url, error) from None
    return url
