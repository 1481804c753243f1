"""Charts and tables built once per content (ui.memo, issue 15): a warm rerun reuses them instead of building
them again, yet a change of content or language builds anew, and a shared table still reads as its cells."""

from __future__ import annotations

import pandas as pd

from charts.tables import sortable
from tests.signed_in import run_dashboard
from ui.language import speaking
from ui.memo import built, fingerprint


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


def test_fingerprints_tell_contents_apart_and_equal_contents_alike():
    frame = pd.DataFrame({"name": ["Ixcán", None], "value": [1.0, float("nan")]})
    assert fingerprint(frame) == fingerprint(frame.copy())  # NaN and None cells included
    assert fingerprint(frame) != fingerprint(frame.rename(columns={"value": "people"}))
    assert fingerprint(frame) != fingerprint(frame.assign(value=[1.0, 2.0]))
    assert fingerprint(frame) != fingerprint(frame.iloc[::-1])  # order is content: rows are drawn in it
    assert fingerprint(pd.DataFrame({"v": [1]})) != fingerprint(pd.DataFrame({"v": [1.0]}))
    kinds = frame.copy()
    kinds.attrs["hidden"] = {"value": [None, "small"]}  # one hidden cell read "menos de 5", not "oculta"
    assert fingerprint(kinds) != fingerprint(frame)
    lists = pd.DataFrame({"codes": [["01", "02"], ["03"]]})  # cells pandas cannot hash
    assert fingerprint(lists) == fingerprint(lists.copy())
    big = pd.DataFrame({"v": range(30_000)})  # past SMALL_CELLS: pandas hashes
    assert fingerprint(big) == fingerprint(big.copy()) != fingerprint(big.assign(v=big["v"] + 1))
    assert fingerprint(lists) != fingerprint(pd.DataFrame({"codes": [["01"], ["03"]]}))
    assert fingerprint({"a": [1, float("nan")]}) == fingerprint({"a": [1, float("nan")]})
    assert fingerprint(("a", 1)) != fingerprint(["a", 1])
    assert len({fingerprint(1), fingerprint(1.0), fingerprint(True)}) == 3


def test_an_import_builds_anew(fresh_caches, monkeypatch):
    """The data version is part of the key: builders that read the store (its boundaries) see an import."""
    from store import cached

    build, calls = _counting_builder()
    with speaking("es"):
        built(build, pd.DataFrame({"value": [1]}), "a")
        monkeypatch.setattr(cached, "current_data_version", lambda: 10_000)
        built(build, pd.DataFrame({"value": [1]}), "a")
    assert calls == ["a", "a"]
