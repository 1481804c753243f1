"""Charts and tables built once per content (ui.memo, issue 15): a warm rerun reuses them instead of building
them again, yet a change of content or language builds anew, and a shared table still reads as its cells."""

from __future__ import annotations

import pandas as pd

from charts.tables import sortable
from tests.signed_in import run_dashboard
from ui.language import speaking
from ui.memo import built


def _counting_builder():
    calls = []

    def build(frame: pd.DataFrame, title: str) -> dict:
        calls.append(title)
        return {"title": title, "total": int(frame["value"].sum())}

    return build, calls


def test_the_same_content_is_built_once_and_shared(fresh_caches):
    build, calls = _counting_builder()
    with speaking("es"):
        first = built(build, pd.DataFrame({"value": [1, 2]}), "a")
        again = built(build, pd.DataFrame({"value": [1, 2]}), "a")  # equal content, another frame
    assert again is first
    assert calls == ["a"]


def test_other_content_another_argument_or_language_is_built_anew(fresh_caches):
    build, calls = _counting_builder()
    with speaking("es"):
        built(build, pd.DataFrame({"value": [1, 2]}), "a")
        changed = built(build, pd.DataFrame({"value": [1, 3]}), "a")
        built(build, pd.DataFrame({"value": [1, 2]}), "b")
    with speaking("en"):
        built(build, pd.DataFrame({"value": [1, 2]}), "a")
    assert changed["total"] == 4
    assert calls == ["a", "a", "b", "a"]


def test_a_shared_table_styler_reads_its_cells_every_time():
    shown = pd.DataFrame({"Municipio": ["Ixcán", "Uspantán"], "Personas": ["1.234", "menos de 5"]})
    styler = sortable(shown, "es")
    for _ in range(2):  # Streamlit translates on every run that shows it
        body = styler._translate(False, False)["body"]
        assert [[cell["display_value"] for cell in row[1:]] for row in body] == [["Ixcán", "1.234"],
                                                                                ["Uspantán", "menos de 5"]]
    assert styler._translate(False, False) is styler._translate(False, False)  # worked out once


def test_reruns_of_the_reintegration_page_reuse_its_charts(fresh_caches, monkeypatch):
    """A warm rerun sends the same charts without building them again."""
    from charts import reintegration as charts

    build, calls = charts.funnel, []

    def funnel(*args):
        calls.append(args[-1])
        return build(*args)

    monkeypatch.setattr(charts, "funnel", funnel)
    app = run_dashboard("liderazgo", page="pages/reintegration.py")
    assert not app.exception, app.exception
    first = [chart.proto.spec for chart in app.get("plotly_chart")]
    assert first and calls == ["es"]
    app.run()
    assert not app.exception, app.exception
    assert [chart.proto.spec for chart in app.get("plotly_chart")] == first
    assert calls == ["es"], "a warm rerun built the funnel again"
