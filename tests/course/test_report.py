"""The class report's page is rendered with autoescaping: what it shows is text."""

from markupsafe import Markup

from shoplab.instructor.report import render

HOSTILE = "<script>alert('x')</script>"


def page(**changes) -> str:
    context = {"chapter": "ch04", "charts": Markup("<div id='chart'></div>"),
               "plotly_js": Markup("var ok = 1 < 2;"),
               "items": [("ex04_1", 0.5, 0.25), ("ex04_2", 1.0, None)],
               "mistakes": [{"exercise": "04.1", "mistake": "markup_for_margin",
                             "message": "That is markup (profit ÷ unit cost) & not margin",
                             "learners": 2}],
               "learners": [{"student_id": "s001", "total": 7.0, "max": 10.0},
                            {"student_id": "s002", "total": 3.5, "max": 10.0}]}
    return render(**{**context, **changes})


def test_a_student_id_with_a_script_tag_is_shown_escaped():
    html = page(learners=[{"student_id": HOSTILE, "total": 1.0, "max": 10.0}])
    assert HOSTILE not in html
    assert "<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</td>" in html


def test_messages_and_names_are_escaped_and_plotly_is_not():
    html = page(chapter="<b>ch04</b>")
    assert "<b>ch04</b>" not in html and "&lt;b&gt;ch04&lt;/b&gt;" in html
    assert "profit ÷ unit cost) &amp; not margin" in html
    assert "<div id='chart'></div>" in html and "var ok = 1 < 2;" in html


def test_tables_hold_the_numbers():
    html = page()
    assert "<tr><td>ex04_1</td><td>50%</td><td>0.25</td></tr>" in html
    assert "<tr><td>ex04_2</td><td>100%</td><td>—</td></tr>" in html
    assert "<td>04.1</td><td>markup_for_margin</td><td class='n'>2</td>" in html
    assert html.index("<td>s002</td>") < html.index("<td>s001</td>")  # lowest first
