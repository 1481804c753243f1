"""Reintegration (MISKA) page for forums (AppTest): PNG / SVG under every chart, CSV / Excel under every table
with the cells the page shows, the HXL row only on request, one headline sentence per chart built from
published figures (checked against pandas on the sample files), and presentation mode."""

from __future__ import annotations

import html
import io
import re

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

import i18n
from tests.conftest import SAMPLE
from tests.signed_in import APP, open_reintegration_tables, run_dashboard
from tests.test_page_exports import _button, _csv, _file, _same_table, _xlsx, files  # noqa: F401 (fixture)
from tests.test_reintegration import _cell, con, decided_text, figures, oracle, published  # noqa: F401 (fixtures)
from publication.family import DEFAULT_AGE
from tests.tables import shown as shown_cells

PAGE = "pages/reintegration.py"
MARKS = i18n.hidden_marks()  # how a hidden figure reads ('menos de 5', 'oculta', 'no publicada', in es and en)
MISKA_DEPARTMENTS = ("13", "12", "09", "08", "14")
# With the sample data the family withholds the participants and rates by sex x age group and by migration
# profile in Guatemala (tests/test_reintegration.py): those charts give way to a sentence.
CHARTS = ("funnel", "ethnicity", "dimensions", "municipalities", "policies", "organisations")
TABLES = ("funnel", "sex_age", "ethnicity", "migration_profile", "scores", "municipalities", "policies",
          "organisations")
OUTCOME_TAGS = ["#reached+ind+miska", "#reached+ind+miska+employed", "#indicator+rate+employed",
                "#indicator+rate+employed+ci_low", "#indicator+rate+employed+ci_high",
                "#reached+ind+miska+enterprise", "#indicator+rate+enterprise", "#indicator+rate+enterprise+ci_low",
                "#indicator+rate+enterprise+ci_high"]


def _page(lang: str | None = None) -> AppTest:
    app = open_reintegration_tables(run_dashboard("liderazgo", lang=lang, page=PAGE))
    assert not app.exception, app.exception
    return app


def _headlines(app: AppTest) -> list[str]:
    """The chart headline sentences, in page order (presentation.headline renders them as marked paragraphs)."""
    found = [re.search(r'data-testid="chart-headline"[^>]*>(.*?)</p>', m.value) for m in app.markdown]
    return [html.unescape(m.group(1)) for m in found if m]


def _table_with(app: AppTest, column: str) -> pd.DataFrame:
    return next(shown_cells(frame) for frame in app.dataframe if column in shown_cells(frame).columns)


def _shares(columns: list[str]) -> dict[int, str]:
    """Rate and interval columns (their exported fractions read as percentages on the page)."""
    return {i: "share" for i, c in enumerate(columns) if "Tasa" in c or "rate" in c or "IC 95" in c or "95% CI" in c}


def _miska_organisations() -> pd.DataFrame:
    sample = pd.read_csv(SAMPLE / "base_organisations.csv", dtype={"municipality_code": str})
    return sample[(sample["country"] == "GTM") & sample["municipality_code"].str[:2].isin(MISKA_DEPARTMENTS)]


# --- every chart and every table has its downloads; the files equal the page ------------------------

@pytest.mark.parametrize("lang", ["es", "en"])
def test_buttons_and_the_sex_age_and_municipality_files_equal_the_page(fresh_caches, files, published, figures, lang):
    app = _page(lang)
    for chart in CHARTS:
        assert _button(app, f"reintegration.export.{chart}.png").label == i18n.translate("exports.chart.png", lang)
        assert _button(app, f"reintegration.export.{chart}.svg").label == i18n.translate("exports.chart.svg", lang)
    for table in TABLES:
        assert _button(app, f"reintegration.export.{table}_table.csv").label == i18n.translate("exports.table.csv", lang)
        assert _button(app, f"reintegration.export.{table}_table.xlsx").label == \
            i18n.translate("exports.table.xlsx", lang)
    assert len(app.get("plotly_chart")) == len(CHARTS)

    page = _table_with(app, i18n.translate("chart.age_group", lang))
    key = "reintegration.export.sex_age_table"
    rows = {}
    for kind, rows[kind] in (("csv", _csv(_file(app, files, f"{key}.csv"))),
                             ("xlsx", _xlsx(_file(app, files, f"{key}.xlsx")))):
        _same_table(page, rows[kind], lang, kinds=_shares(list(page.columns)))
    # Each count reads as the family decided: its number, or the reading of its kind of hidden.
    codes = {i18n.translate(f"{d}.{c}", lang): c for d in ("sex", "age_group") for c in
             pd.unique(figures["none"].breakdowns["sex_age"]["sex" if d == "sex" else "age_group"])}
    measures = {i18n.translate(f"reintegration.measure.{m}", lang): m for m in ("enrolled", "employed", "enterprise")}
    assert set(measures) <= set(page.columns)
    for row in page.itertuples(index=False):
        population = (("sex", codes[row[0]]), (DEFAULT_AGE, codes[row[1]]))
        assert [row[list(page.columns).index(h)] for h in measures] == \
            [decided_text(published, _cell(m, {}, population), lang) for m in measures.values()]
    assert any(v in MARKS for v in page.to_numpy().ravel()) and any(c in MARKS for row in rows["csv"] for c in row)
    for chart in ("matrix", "pyramid", "migration_profile"):  # withheld: a sentence, not an empty chart
        assert not [b for b in app.get("download_button") if b.proto.id.endswith(f"-reintegration.export.{chart}.png")]

    links = [i18n.translate("reintegration.territory.map", lang), i18n.translate("reintegration.territory.mine", lang)]
    page = _table_with(app, links[0]).drop(columns=links)
    key = "reintegration.export.municipalities_table"
    rows_csv = _csv(_file(app, files, f"{key}.csv"))
    _same_table(page, rows_csv, lang, kinds=_shares(list(page.columns)))
    _same_table(page, _xlsx(_file(app, files, f"{key}.xlsx")), lang, kinds=_shares(list(page.columns)))
    counts = oracle()["municipality"]
    hidden = [row for row in rows_csv[1:] if row[3] in MARKS]
    assert hidden and all(int(row[3]) == counts[row[0]] for row in rows_csv[1:] if row not in hidden)
    assert sum(int(row[3]) for row in rows_csv[1:] if row not in hidden) <= oracle()["enrolled"]
    assert [row[3] for row in hidden] == [
        decided_text(published, _cell("enrolled", {"municipalities": (("GTM", row[0]),)}), lang) for row in hidden]


def test_hxl_row_only_with_the_box_and_notes_carry_the_definitions(fresh_caches, files):
    app = _page("en")
    key = "reintegration.export.sex_age_table"
    assert _csv(_file(app, files, f"{key}.csv"))[1][0] == "Women"
    app.checkbox(key=f"{key}.hxl").check().run()
    assert not app.exception
    page = _table_with(app, "Age group")
    for rows in (_csv(_file(app, files, f"{key}.csv")), _xlsx(_file(app, files, f"{key}.xlsx"))):
        assert rows[1] == ["#sex", "#age+group", *OUTCOME_TAGS]
        _same_table(page, [rows[0]] + rows[2:], "en", kinds=_shares(list(page.columns)))
    municipalities = _csv(_file(app, files, "reintegration.export.municipalities_table.csv"))
    assert not municipalities[1][0].startswith("#")  # the box is per table
    book = load_workbook(io.BytesIO(_file(app, files, "reintegration.export.municipalities_table.xlsx")))
    notes = dict(row[:2] for row in book.worksheets[1].iter_rows(values_only=True) if row[0])
    assert notes["Table"] == "Participants and outcomes by municipality"
    assert notes[i18n.translate("indicator.miska_employed.label", "en")] == \
        i18n.translate("indicator.miska_employed.definition", "en")
    assert notes["Rates"] == "people at the stage / participants in the same group. 95% Wilson confidence interval."
    assert all(i18n.hidden_mark(kind, "en") in notes[i18n.translate("exports.notes.suppression", "en")]
               for kind in i18n.HIDDEN_KINDS)


# --- one sentence per chart, from published figures -------------------------------------------------

@pytest.mark.parametrize("lang", ["es", "en"])
def test_one_headline_sentence_per_chart_with_figures_from_the_sample(fresh_caches, lang):
    app = _page(lang)
    sentences = _headlines(app)
    assert len(sentences) == len(CHARTS) == len(app.get("plotly_chart"))
    expected = oracle()
    share = i18n.format_share(expected["employed"] / expected["enrolled"], lang)
    funnel = {"es": f"{expected['employed']} de {expected['enrolled']} participantes consiguieron empleo ({share})",
              "en": f"{expected['employed']} of {expected['enrolled']} participants found a job ({share})"}[lang]
    assert sentences[0] == funnel
    assert funnel.replace("\xa0", " ") in ("46 de 136 participantes consiguieron empleo (33,8 %)",
                                           "46 of 136 participants found a job (33.8%)")
    organisations = _miska_organisations()
    improved = int((organisations["capacity_follow_up"] > organisations["capacity_baseline"]).sum())
    assert sentences[-1] == {"es": f"{improved} de {len(organisations)} organizaciones de base mejoraron su capacidad",
                             "en": f"{improved} of {len(organisations)} base organisations improved their capacity"}[lang]
    # The municipality with the most participants among the published counts, its count from pandas
    counts = oracle()["municipality"]
    table = _table_with(app, i18n.translate("reintegration.territory.map", lang))
    code_column = i18n.translate("reintegration.table.code", lang)
    published = [c for c, v in zip(table[code_column], table[i18n.translate("reintegration.measure.enrolled", lang)])
                 if v not in MARKS]
    top = max(published, key=lambda c: counts[c])
    name = table.set_index(code_column).loc[top, i18n.translate("reintegration.table.municipality", lang)]
    assert name in sentences[3] and sentences[3].endswith(f": {counts[top]}")


def test_group_and_policy_sentences(fresh_caches, figures):
    app = _page("es")
    sentences = _headlines(app)
    groups = figures["none"].breakdowns["ethnicity"]
    top = groups.loc[groups["employed_rate"].astype(float).idxmax()]
    name = i18n.translate(f"ethnicity.{top['ethnicity']}", "es")
    assert f"«{name}»" in sentences[1] and f"({top['employed']} de {top['enrolled']})" in sentences[1]
    policies = pd.read_csv(SAMPLE / "municipal_policies.csv", dtype={"municipality_code": str})
    policies = policies[policies["municipality_code"].str[:2].isin(MISKA_DEPARTMENTS)]
    latest = policies.sort_values("status_date").groupby("policy_name").tail(1)
    implementing = latest[latest["status"] == "in_implementation"]["municipality_code"].nunique()
    assert sentences[4] == (f"{policies['municipality_code'].nunique()} municipios con política municipal de migración; "
                            f"{implementing} en implementación")
    assert sentences[2].startswith("El puntaje compuesto medio pasó de 0,")


# --- presentation mode ------------------------------------------------------------------------------

def test_presentation_mode_shows_every_sentence_without_error(fresh_caches):
    app = AppTest.from_file(APP, default_timeout=120)
    app.session_state["authentication_status"] = True
    app.session_state["username"] = "liderazgo"
    app.session_state["presentation"] = True
    app.run()
    # The page switch is a second run, where AppTest drops the dashboard's own widgets (the toggle's state
    # with them); the URL, which presentation mode writes on the first run, carries it over as in a browser.
    assert app.query_params.get("presentar") == "1"
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    sentences = _headlines(app)
    assert len(sentences) == len(CHARTS)
    # Charts full width: no chart sits in a column (side by side) when presenting, as two do otherwise.
    assert [c for c in app.columns if c.get("plotly_chart")] == []
    assert [c for c in _page().columns if c.get("plotly_chart")] != []
    before, after = i18n.translate("presentation.source", "es", date="\0").split("\0")
    sources = [c.value for c in app.caption if c.value.startswith(before) and c.value.endswith(after)]
    assert len(sources) == len(CHARTS)  # data date and source under every chart


# --- pure pieces: neutral sentences, the export frame of a table ---------------------------------------

def _groups(rates: dict[str, list]) -> pd.DataFrame:
    frame = pd.DataFrame({"ethnicity": ["mam", "kiche"], "enrolled": pd.array([20, None], dtype="Int64"),
                          "employed": pd.array([None, None], dtype="Int64"),
                          "enterprise": pd.array([6, None], dtype="Int64"),
                          # the kinds the protection gave the hidden counts (None: no kind given, reads withheld)
                          "enrolled_hidden": [None, "protecting"], "employed_hidden": ["small", None],
                          "enterprise_hidden": [None, "protecting"]})
    for stage in ("employed", "enterprise"):
        for part in ("rate", "low", "high"):
            frame[f"{stage}_{part}"] = pd.array(rates.get(stage, [None, None]), dtype="Float64")
    return frame


def test_rate_sentences_fall_back_to_published_figures_only():
    from indicators.reintegration_views import highest_rate_sentence

    assert highest_rate_sentence(_groups({}), "ethnicity", "es") == \
        "Por pueblo: con estos filtros no puede publicarse ninguna tasa"
    assert highest_rate_sentence(_groups({"enterprise": [0.3, None]}), "ethnicity", "es") == \
        "Por pueblo, entre las tasas de emprendimiento publicadas, la más alta es la del grupo «Mam»: 30\xa0% (6 de 20)"


def test_funnel_sentence_is_neutral_when_a_count_is_protected():
    from indicators.reintegration_views import funnel_sentence
    from tests.test_reintegration import _figures

    assert funnel_sentence(_figures({"enrolled": 12, "employed": pd.NA}), "en") == \
        "Participants at each stage, from enrolment to results"
    assert funnel_sentence(_figures({"enrolled": 12, "employed": 5}), "en") == "5 of 12 participants found a job"


def test_an_outcome_table_exports_protected_counts_as_marks_with_a_tag_per_column():
    from exports.reintegration_tables import by_group
    from exports.tables import csv_bytes

    table = by_group(_groups({"enterprise": [0.3, None]}), "ethnicity", "en")
    assert list(table.frame.columns) == ["ethnicity", "enrolled", "employed", "employed_rate", "employed_rate_low",
                                         "employed_rate_high", "enterprise", "enterprise_rate",
                                         "enterprise_rate_low", "enterprise_rate_high"]
    rows = _csv(csv_bytes(table.frame, "en", headers=table.headers, hxl=True, hxl_tags=table.hxl_tags))
    assert rows[1] == ["#group+ethnicity", *OUTCOME_TAGS]
    small, protecting, withheld = (i18n.hidden_mark(kind, "en") for kind in i18n.HIDDEN_KINDS)
    assert rows[2] == ["Mam", "20", small, *[withheld] * 3, "6", "0.3", "0.3", "0.3"]
    assert rows[3] == ["K'iche'", protecting, withheld, *[withheld] * 3, protecting, *[withheld] * 3]
