"""The learner's distribution of the course: what a graded class pulls, without the answers.

    shoplab learner-copy OUT [--branch learner]

The instructor's repository holds `source/` (every worked solution and hidden test) and specs
whose `hidden=` cases only grading should know. The learner's copy is built from the
repository's tracked files by an explicit allowlist (`KEEP`, minus `DROP`) and two small,
checked rewrites:

* each `graders/chapters/chNN.py` has every `hidden=(Case(...), ...)` replaced by
  `hidden=(WITHHELD,) * N` (`graders.spec.WITHHELD`): a learner's check still says how many
  cases grading adds, but their inputs and labels are gone, and module-level helpers that
  only those cases used go too. The rewrite splices the source text at the positions `ast`
  reports, so everything else in the file — comments included — is shipped byte for byte;
* `graders/learner.py`'s `SOLUTIONS_DEFAULT` becomes "off" (as if SHOPLAB_SOLUTIONS=off).

Why a rewrite of the copy rather than a switch read at run time: a switch would still ship
the held-back cases for anyone to read. The worked solutions need no rewrite at all: they live
only in `source/`'s solution regions, which the copy leaves out. What a learner can still
read — the reference code the checks compute answers with — is stated in docs/grading.md.

With `branch`, the copy is also committed to that local branch (on top of its previous tip,
so learners' nbgitpuller pulls fast-forward) without touching the working tree; pushing it
is the instructor's step (docs/jupyterhub.md).
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Top-level paths the learner's copy takes (tracked files under them), and what it leaves out.
KEEP = ("LICENSE", "README.md", "Makefile", "requirements.txt", "requirements-dev.txt",
        "constraints.txt", "pyproject.toml", ".gitignore", ".jupyter", "binder", "datasets",
        "notebooks", "release", "graders", "shoplab")
DROP = ("shoplab/instructor", "shoplab/release.py")
CHAPTERS = "graders/chapters"
LEARNER = "graders/learner.py"
IMPORT = "from graders.spec import WITHHELD  # held-back cases stay in the instructor's copy\n"


class LearnerCopyError(RuntimeError):
    """The repository cannot be turned into a learner's copy (says what to fix)."""


def tracked_files(root: Path) -> list[str]:
    """The repository's tracked files (so nothing generated or ignored is copied)."""
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=root, check=True,
                             capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise LearnerCopyError(f"{root} is not a git checkout of the course: {error}") from None
    return sorted(p for p in out.split("\0") if p)


def selected(path: str) -> bool:
    def under(prefixes) -> bool:
        return any(path == p or path.startswith(p + "/") for p in prefixes)
    return under(KEEP) and not under(DROP)


def _span(text: str, node: ast.AST) -> tuple[int, int]:
    """Character offsets of `node` in `text` (ast counts columns in UTF-8 bytes)."""
    lines = text.splitlines(keepends=True)

    def offset(line: int, col: int) -> int:
        before = sum(len(x) for x in lines[:line - 1])
        return before + len(lines[line - 1].encode()[:col].decode())
    return offset(node.lineno, node.col_offset), offset(node.end_lineno, node.end_col_offset)


def _loads(nodes, skip: set[int]) -> set[str]:
    """Names read in `nodes`, not counting the nodes whose ids are in `skip`."""
    return {n.id for node in nodes for n in ast.walk(node)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and id(n) not in skip}


def _defines(statement: ast.stmt) -> set[str]:
    if isinstance(statement, ast.FunctionDef | ast.ClassDef):
        return {statement.name}
    if isinstance(statement, ast.Assign | ast.AnnAssign):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return set()


def _only_for_hidden(body: list[ast.stmt], hidden: list[ast.AST]) -> list[ast.stmt]:
    """Top-level statements defining names that only the held-back cases (or other such
    statements) read."""
    withheld = {id(n) for node in hidden for n in ast.walk(node)}
    dropped: list[ast.stmt] = []
    while True:
        kept = [s for s in body if s not in dropped]
        found = [s for s in kept
                 if _defines(s) & _loads(hidden + dropped, set())
                 and not _defines(s) & _loads([k for k in kept if k is not s], withheld)]
        if not found:
            return dropped
        dropped += found
        withheld |= {id(n) for s in found for n in ast.walk(s)}


def strip_chapter(text: str, filename: str = "<chapter>") -> str:
    """A chapter module's source with its held-back cases withheld (see the module docstring).

    Raises LearnerCopyError when a `hidden=` is not a literal tuple (its length would be
    unknown)."""
    tree = ast.parse(text, filename)
    hidden = [kw.value for node in ast.walk(tree) if isinstance(node, ast.Call)
              for kw in node.keywords if kw.arg == "hidden"]
    if not hidden:
        return text
    edits = []
    for value in hidden:
        if not isinstance(value, ast.Tuple):
            raise LearnerCopyError(f"{filename}:{value.lineno}: write hidden= as a literal "
                                   "tuple of Case(...) so the learner's copy can withhold it")
        edits.append((*_span(text, value), f"(WITHHELD,) * {len(value.elts)}"))
    for statement in _only_for_hidden(tree.body, hidden):
        start, end = _span(text, statement)
        for decorator in getattr(statement, "decorator_list", ()):
            start = min(start, _span(text, decorator)[0] - 1)  # from its "@"
        edits.append((start, end + (text[end:end + 1] == "\n"), ""))
    last_import = max(s.end_lineno for s in tree.body
                      if isinstance(s, ast.Import | ast.ImportFrom))
    at = sum(len(line) for line in text.splitlines(keepends=True)[:last_import])
    edits.append((at, at, IMPORT))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def switch_solutions_off(text: str) -> str:
    """graders/learner.py with `SOLUTIONS_DEFAULT = "off"`."""
    old = 'SOLUTIONS_DEFAULT = "on"\n'
    if text.count(old) != 1:
        raise LearnerCopyError(f"{LEARNER} must define {old.strip()!r} once (the learner's "
                               "copy switches it off)")
    return text.replace(old, 'SOLUTIONS_DEFAULT = "off"\n')


def drop_scripts(text: str) -> str:
    """pyproject.toml without `[project.scripts]`: the instructor's command is not shipped."""
    lines, out, skipping = text.splitlines(keepends=True), [], False
    for line in lines:
        if line.strip().startswith("["):
            skipping = line.strip() == "[project.scripts]"
        if not skipping:
            out.append(line)
    return "".join(out)


REWRITES = {LEARNER: switch_solutions_off, "pyproject.toml": drop_scripts}


def transform(path: str, text: str) -> str:
    if path.startswith(CHAPTERS + "/") and path.endswith(".py"):
        return strip_chapter(text, path)
    rewrite = REWRITES.get(path)
    return rewrite(text) if rewrite else text


def build(out: Path, root: Path = ROOT, branch: str | None = None) -> list[str]:
    """Write the learner's copy of the repository at `root` into the empty or new folder
    `out` (and, with `branch`, commit it to that local branch). Returns the copied paths."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise LearnerCopyError(f"{out} is not empty; give a new or empty folder")
    paths = [p for p in tracked_files(root) if selected(p) and (root / p).is_file()]
    for path in paths:
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.endswith(".py") or path in REWRITES:
            target.write_text(transform(path, (root / path).read_text(encoding="utf-8")),
                              encoding="utf-8")
        else:
            shutil.copy2(root / path, target)
    if branch:
        commit(out, root, branch)
    return paths


def commit(tree: Path, root: Path, branch: str) -> str:
    """Commit the folder `tree` as the next commit of `branch` in `root`'s repository, with a
    private index (the instructor's working tree and index are left alone)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(tmp) / "index"),
               "GIT_WORK_TREE": str(tree)}

        def git(*args: str) -> str:
            return subprocess.run(["git", *args], cwd=root, env=env, check=True,
                                  capture_output=True, text=True).stdout.strip()

        git("add", "--all", "--force", ".")
        tree_id = git("write-tree")
        parent = subprocess.run(["git", "rev-parse", "--verify", "--quiet",
                                 f"refs/heads/{branch}"], cwd=root, capture_output=True,
                                text=True).stdout.strip()
        source = git("rev-parse", "--short", "HEAD")
        commit_id = git("commit-tree", tree_id, *(["-p", parent] if parent else []),
                        "-m", f"Learner's copy of the course at {source}")
        git("update-ref", f"refs/heads/{branch}", commit_id)
    return commit_id
