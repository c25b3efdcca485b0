"""nbgitpuller links: JupyterLab's form, and the guide's links are the generated ones."""

from urllib.parse import parse_qs, urlsplit

from shoplab.instructor.links import GUIDE, nbgitpuller_link, refreshed


def test_link_is_jupyterlab_form_with_autodecode():
    link = nbgitpuller_link("https://hub.example.edu/", "https://github.com/acme/shop-course.git",
                            "notebooks/04_pricing.ipynb", branch="spring")
    parts = urlsplit(link)
    assert (parts.netloc, parts.path) == ("hub.example.edu", "/hub/user-redirect/git-pull")
    assert "urlpath=lab%2Ftree%2Fshop-course%2Fnotebooks%2F04_pricing.ipynb%3Fautodecode" in link
    assert parse_qs(parts.query) == {
        "repo": ["https://github.com/acme/shop-course.git"], "branch": ["spring"],
        "urlpath": ["lab/tree/shop-course/notebooks/04_pricing.ipynb?autodecode"]}


def test_jupyterhub_guide_links_are_generated_not_typed():
    text = GUIDE.read_text()
    assert refreshed(text) == text, "run: python -m shoplab.instructor.links --write-docs"


def test_staleness_check_sees_an_edited_link():
    text = GUIDE.read_text().replace("%3Fautodecode |", " |", 1)
    assert refreshed(text) != text
