"""nbgitpuller links: one click pulls the course into a learner's hub home and opens a notebook.

The links are JupyterLab's form, as nbgitpuller's own link generator writes it: `urlpath` is
`lab/tree/<repo folder>/<notebook>?autodecode`, URL-encoded (`%3Fautodecode`), so JupyterLab
opens the notebook after the pull. Every link in docs/jupyterhub.md is generated here
(tests/test_links.py fails when the guide is stale):

    python -m shoplab.instructor.links --hub https://hub.example.edu notebooks/04_pricing.ipynb
    python -m shoplab.instructor.links --write-docs        # regenerate docs/jupyterhub.md
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "jupyterhub.md"
EXAMPLE_HUB = "https://hub.example.edu"
EXAMPLE_REPO = "https://github.com/shoplab/shoplab"  # the placeholder owner/name
BEGIN, END = "<!-- nbgitpuller links: begin -->", "<!-- nbgitpuller links: end -->"


def nbgitpuller_link(hub: str, repo: str, notebook: str, branch: str = "main") -> str:
    """The link that pulls `repo` (its `branch`) and opens `notebook` in JupyterLab.

    nbgitpuller clones into a folder named after the repository, hence its name in urlpath."""
    folder = repo.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
    query = urlencode({"repo": repo, "branch": branch,
                       "urlpath": f"lab/tree/{folder}/{notebook}?autodecode"},
                      quote_via=quote, safe="")
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def lessons() -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").glob("*.ipynb"))


def guide_block(hub: str = EXAMPLE_HUB, repo: str = EXAMPLE_REPO) -> str:
    """The generated part of docs/jupyterhub.md: one link per lesson."""
    lines = [BEGIN, "| lesson | nbgitpuller link |", "|---|---|"]
    lines += [f"| `{nb}` | {nbgitpuller_link(hub, repo, nb)} |" for nb in lessons()]
    return "\n".join([*lines, END])


def refreshed(text: str) -> str:
    """The guide's text with its generated block replaced by today's."""
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise ValueError(f"{GUIDE.name} has no {BEGIN} … {END} block to fill in.")
    return pattern.sub(lambda _: guide_block(), text)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="e.g. notebooks/04_pricing.ipynb")
    parser.add_argument("--hub", default=EXAMPLE_HUB, help="your JupyterHub's URL")
    parser.add_argument("--repo", default=EXAMPLE_REPO, help="the course repository's URL")
    parser.add_argument("--branch", default="main")
    parser.add_argument("--write-docs", action="store_true", help=f"regenerate {GUIDE.name}")
    args = parser.parse_args(argv)
    if args.write_docs:
        GUIDE.write_text(refreshed(GUIDE.read_text()))
    for notebook in args.notebooks or ([] if args.write_docs else lessons()):
        print(nbgitpuller_link(args.hub, args.repo, notebook, args.branch))


if __name__ == "__main__":
    main()
