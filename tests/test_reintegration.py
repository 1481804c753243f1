"""The Reintegration (MISKA) page: pure definitions, the store's protected figures and the page headless,
against figures recomputed with plain pandas from the sample CSV files (no code under test in the oracle)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import pytest

import i18n
from indicators import reintegration as R
from indicators import reintegration_cells as C
from indicators import reintegration_views as V
from indicators.compute import compute as compute_indicator
from indicators.filters import Filters
from indicators.map_views import MapView, view_from_query
from privacy.audit import audit
from tests.conftest import SAMPLE
from tests.signed_in import run_dashboard
from tests.test_roles import _rendered

START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31")
PAGE = "pages/reintegration.py"
MISKA_COMPONENTS = ("technical_training", "digital_skills", "community_leadership", "entrepreneurship",
                    "psychosocial_support")
WEIGHTS = {"economic": 0.4, "social": 0.3, "psychosocial": 0.3}
BASE = Filters(start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), programmes=("miska_reintegration",))
# (name, Filters changes, sidebar widget key and values) of the filters every layer is checked under.
CASES = [
    ("none", {}, None),
    ("women", {"sexes": ("female",)}, ("reintegration.sexes", ["female"])),
    ("huehuetenango", {"departments": (("GTM", "13"),)}, ("reintegration.departments", ["13"])),
    ("mam", {"ethnicities": ("mam",)}, ("reintegration.ethnicities", ["mam"])),
    ("digital_skills", {"components": ("digital_skills",)}, ("reintegration.components", ["digital_skills"])),
]


# --- the pandas oracle ----------------------------------------------------------------------------

def _csv(name: str, dates: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.read_csv(SAMPLE / f"{name}.csv", dtype=str, keep_default_na=False)
    for column in dates:
        frame[column] = pd.to_datetime(frame[column].replace("", None))
    return frame


def _age_group(age: int) -> str:
    return "0_14" if age <= 14 else "15_24" if age <= 24 else "25_34" if age <= 34 else "35_49" if age <= 49 \
        else "50_plus"


def oracle(sexes=(), departments=(), ethnicities=(), components=()) -> dict:
    """Every figure of the page for the 2023–2024 cohort, from the CSV files only."""
    people = _csv("participants")
    parts = _csv("participations", ("start_date", "end_date"))
    outcomes = _csv("outcomes", ("date",))
    surveys = _csv("reintegration_surveys")
    overlap = parts[(parts["start_date"] <= END) & (parts["end_date"].fillna(parts["start_date"]) >= START)]
    people = people[people["programme"] == "miska_reintegration"]
    people = people[people["participant_id"].isin(overlap["participant_id"])]
    if sexes:
        people = people[people["sex"].isin(sexes)]
    if departments:
        people = people[people["department_code"].isin([code for _, code in departments])]
    if ethnicities:
        people = people[people["ethnicity"].isin(ethnicities)]
    if components:
        people = people[people["participant_id"].isin(overlap[overlap["component"].isin(components)]["participant_id"])]
    cohort = set(people["participant_id"])
    took = overlap[overlap["participant_id"].isin(cohort) & overlap["component"].isin(MISKA_COMPONENTS)]
    in_period = outcomes[outcomes["date"].between(START, END) & outcomes["participant_id"].isin(cohort)]
    with_outcome = {o: set(in_period[in_period["outcome"] == o]["participant_id"])
                    for o in ("employment", "enterprise_started", "enterprise_consolidated")}
    enterprise = with_outcome["enterprise_started"] | with_outcome["enterprise_consolidated"]
    figures = {
        "enrolled": len(cohort),
        **{c: took[took["component"] == c]["participant_id"].nunique() for c in MISKA_COMPONENTS},
        "completed": int(took.groupby("participant_id")["completed"].apply(lambda s: (s == "true").all()).sum()),
        "employed": len(with_outcome["employment"]),
        "enterprise_started": len(with_outcome["enterprise_started"]),
        "enterprise_consolidated": len(with_outcome["enterprise_consolidated"]),
        "enterprise": len(enterprise),
    }
    people = people.assign(age_group=people["age"].astype(int).map(_age_group))
    figures["municipality"] = people["municipality_code"].value_counts().to_dict()
    def cell(sex: str, age: str) -> set:
        return set(people[(people["sex"] == sex) & (people["age_group"] == age)]["participant_id"])

    figures["sex_age"] = {(s, a): (len(cell(s, a)), len(cell(s, a) & with_outcome["employment"]))
                          for s in ("female", "male") for a in ("15_24", "25_34")}
    wide = surveys[surveys["participant_id"].isin(cohort)].pivot(index="participant_id", columns="round",
                                                                 values=["economic", "social", "psychosocial"])
    wide = wide.dropna().astype(float)
    composite = {r: sum(w * wide[(d, r)] for d, w in WEIGHTS.items()) for r in ("baseline", "follow_up")}
    improved = (composite["follow_up"] - composite["baseline"]).round(9) > 0
    ages = people.set_index("participant_id")["age_group"].reindex(wide.index)
    figures["survey"] = {"surveyed": len(wide), "improved": int(improved.sum()),
                         "by_age": {a: (int((ages == a).sum()), int(improved[ages == a].sum()))
                                    for a in ("15_24", "25_34", "35_49")}}
    return figures


# --- pure functions -------------------------------------------------------------------------------

@pytest.mark.parametrize("successes, n, low, high", [
    (46, 136, 0.264140, 0.421218),  # scipy.stats.binomtest(46, 136).proportion_ci(method="wilson")
    (5, 10, 0.236593, 0.763407),
    (0, 10, 0.0, 0.277533),
    (10, 10, 0.722467, 1.0),
    (14, 35, 0.255507, 0.564273),
])
def test_wilson_interval_known_values(successes, n, low, high):
    assert R.wilson_interval(successes, n) == pytest.approx((low, high), abs=1e-6)


def test_wilson_interval_edge_cases():
    assert all(pd.isna(v) for v in R.wilson_interval(0, 0))
    with pytest.raises(ValueError):
        R.wilson_interval(11, 10)


@pytest.mark.parametrize("numerator, denominator, shown", [
    (14, 35, True), (0, 9, True), (pd.NA, 35, False), (14, pd.NA, False), (0, 0, False),
])
def test_a_rate_is_shown_only_with_both_counts_published(numerator, denominator, shown):
    rate = R.rate_of(numerator, denominator, 5)
    assert (rate.value is not None) == shown
    if shown:
        assert rate.value == pytest.approx(numerator / denominator)
        assert (rate.low, rate.high) == pytest.approx(R.wilson_interval(numerator, denominator))


def test_territorial_map_link_opens_the_municipality_on_the_map():
    link = V.territorial_map_link("GTM", "13", "1301", "es")
    assert link.startswith("territorial_map?")
    query = dict(part.split("=") for part in link.split("?")[1].split("&"))
    assert query["pais"] == "GTM" and query["departamento"] == "13" and query["unidad"] == "1301"
    assert query["nivel"] == "municipality" and query["lang"] == "es"
    assert view_from_query(query) == MapView("miska_participants", "GTM", "municipality", "13", "1301")
    assert V.my_municipality_link("GTM", "1301", "en") == "my_municipality?municipio=1301&pais=GTM&lang=en"


def test_policy_segments_last_until_the_next_status():
    policies = pd.DataFrame({
        "country": ["GTM"] * 3, "municipality_code": ["1301"] * 3, "policy_name": ["P"] * 3,
        "status": ["in_design", "approved", "in_implementation"],
        "status_date": pd.to_datetime(["2022-06-29", "2022-12-16", "2023-03-21"]),
    })
    segments = V.policy_segments(policies, dt.date(2024, 12, 31))
    assert list(segments["status"]) == ["in_design", "approved", "in_implementation"]
    assert list(segments["start"]) == [dt.date(2022, 6, 29), dt.date(2022, 12, 16), dt.date(2023, 3, 21)]
    assert list(segments["end"]) == [dt.date(2022, 12, 16), dt.date(2023, 3, 21), dt.date(2024, 12, 31)]
    assert V.latest_status(segments)["status"].tolist() == ["in_implementation"]


def _figures(values: dict, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31)) -> R.ReintegrationFigures:
    funnel = pd.DataFrame({"stage": list(R.STAGES)})
    funnel["value"] = pd.array([values.get(s, 0) for s in R.STAGES], dtype="Int64")
    for column in ("rate", "low", "high"):
        funnel[column] = pd.array([None] * len(funnel), dtype="Float64")
    return R.ReintegrationFigures(start, end, 5, WEIGHTS, C.PLANS[0], funnel, {}, pd.DataFrame())


@pytest.mark.parametrize("values, lang, expected", [
    ({"enrolled": 136, "employed": 46, "enterprise": 35}, "es",
     "Entre 2023 y 2024, 136 personas participaron en MISKA; 46 consiguieron empleo y 35 iniciaron o consolidaron "
     "un emprendimiento."),
    ({"enrolled": 136, "employed": 46, "enterprise": 35}, "en",
     "Between 2023 and 2024, 136 people took part in MISKA; 46 found a job and 35 started or consolidated an "
     "enterprise."),
    ({"enrolled": 15, "employed": pd.NA, "enterprise": 0}, "es",
     "Entre 2023 y 2024, 15 personas participaron en MISKA; el número de quienes consiguieron empleo está "
     "protegido y nadie inició ni consolidó un emprendimiento."),
    ({"enrolled": 0}, "en", "Between 2023 and 2024 nobody took part in MISKA with the chosen filters."),
])
def test_summary_sentence(values, lang, expected):
    assert V.summary_sentence(_figures(values), lang) == expected


def test_summary_sentence_of_one_year():
    figures = _figures({"enrolled": 82, "employed": 29, "enterprise": 18}, dt.date(2024, 1, 1))
    assert V.summary_sentence(figures, "es").startswith("En 2024, 82 personas participaron en MISKA")


# --- the store: true counts, protection, audit -----------------------------------------------------

@pytest.fixture(scope="module")
def con(sample_con):
    return sample_con


@pytest.fixture(scope="module")
def protected(con):
    from store.reintegration import compute

    return {name: compute(con, BASE.with_(**changes), WEIGHTS, 5, 2) for name, changes, _ in CASES}


def test_the_sample_cohort_is_136_people(protected):
    assert protected["none"].figures.total("enrolled") == 136 == oracle()["enrolled"]


@pytest.mark.parametrize("name, changes", [(n, c) for n, c, _ in CASES])
def test_enrolled_is_the_registry_miska_participants(con, protected, name, changes):
    registry = compute_indicator(con, "miska_participants", BASE.with_(**changes))["value"].iloc[0]
    assert protected[name].table.values[C.cell("enrolled")] == int(registry)


@pytest.mark.parametrize("name, changes", [(n, c) for n, c, _ in CASES])
def test_funnel_counts_match_pandas(protected, name, changes):
    expected = oracle(**changes)
    table = protected[name].table
    assert {s: table.values[C.cell(s)] for s in R.STAGES} == {s: expected[s] for s in R.STAGES}
    funnel = protected[name].figures.funnel.set_index("stage")["value"]
    for stage in R.STAGES:  # published exactly when not suppressed
        assert pd.isna(funnel[stage]) == (C.cell(stage) in protected[name].suppressed)


@pytest.mark.parametrize("name", [n for n, _, _ in CASES])
def test_every_published_table_passes_the_audit(protected, name):
    result = audit(protected[name].table, protected[name].suppressed, 5, 2)
    assert result.unsafe == []
    assert not any(1 <= protected[name].table.values[c] < 5 for c in protected[name].table.values
                   if c not in protected[name].suppressed)


@pytest.mark.parametrize("name", [n for n, _, _ in CASES])
def test_breakdowns_add_up_to_their_stage_totals_and_rates_carry_their_complement(protected, name):
    table = protected[name].table
    relations = {(total, frozenset(parts)) for total, parts in table.relations}
    for breakdown, frame in protected[name].figures.breakdowns.items():
        for measure in R.MEASURES:
            ids = [c for c in table.values if c[0] == measure and c[1] == breakdown]
            if ids:
                assert (C.cell(measure), frozenset(ids)) in relations, (breakdown, measure)
        for cell_id in (c for c in table.values if c[0] in R.RATES and c[1] == breakdown):
            complement = (f"{C.NOT}:{cell_id[0]}", breakdown, cell_id[2])
            assert (C.cell("enrolled", breakdown, cell_id[2]), frozenset({cell_id, complement})) in relations
    assert (C.cell("surveyed"), frozenset({C.cell("improved"), C.cell(f"{C.NOT}:improved")})) in relations


def test_published_rates_match_pandas(protected):
    expected = oracle()
    frame = protected["none"].figures.breakdowns["sex_age"].set_index(["sex", "age_group"])
    enrolled, employed = expected["sex_age"][("female", "15_24")]
    row = frame.loc[("female", "15_24")]
    assert (row["enrolled"], row["employed"]) == (enrolled, employed) == (35, 14)
    assert row["employed_rate"] == pytest.approx(employed / enrolled)
    survey = protected["none"].figures.survey.set_index(["group_by", "group"])
    surveyed, improved = expected["survey"]["by_age"]["25_34"]
    assert survey.loc[("age_group", "25_34"), "surveyed"] == surveyed
    assert survey.loc[("age_group", "25_34"), "improved_rate"] == pytest.approx(improved / surveyed)
    assert survey.loc[("total", "total"), "surveyed"] == expected["survey"]["surveyed"]


def test_headline_totals_stay_published_when_breakdowns_would_hide_them(protected):
    """With one ethnicity or one component the full plan would hide jobs and enterprises: a smaller plan keeps them."""
    for name in ("mam", "digital_skills"):
        figures = protected[name].figures
        assert figures.plan != C.PLANS[0]
        assert not pd.isna(figures.total("employed")) and not pd.isna(figures.total("enterprise"))
        assert all(pd.isna(v) for v in figures.breakdowns["municipality"]["employed"])


# --- the page headless -----------------------------------------------------------------------------

def _page(case: tuple, lang: str | None = None):
    app = run_dashboard("liderazgo", lang=lang, page=PAGE)
    assert not app.exception, app.exception
    if case[2]:
        key, values = case[2]
        widget = app.multiselect(key=key)
        for value in values:
            widget.select(value)
        app.run()
        assert not app.exception, app.exception
    return app


def _table_with(app, column: str) -> pd.DataFrame:
    return next(frame.value for frame in app.dataframe if column in frame.value.columns)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_page_shows_the_funnel_of_the_filters(fresh_caches, case):
    app = _page(case)
    expected = oracle(**case[1])
    metrics = {m.label: m.value for m in app.metric}
    for stage in ("enrolled", "completed", "employed", "enterprise"):
        label = i18n.translate(f"reintegration.metric.{stage}", "es")
        assert metrics[label] == i18n.format_number(expected[stage], "es")
    funnel = _table_with(app, "Etapa").set_index("Etapa")["Personas"]
    for stage in R.STAGES:
        label = i18n.translate(f"reintegration.stage.{stage}", "es")
        assert funnel[label] == i18n.format_number(expected[stage], "es")
    rate = i18n.format_share(expected["employed"] / expected["enrolled"], "es")
    shares = _table_with(app, "Etapa").set_index("Etapa")["Proporción de participantes"]
    assert shares["Consiguieron empleo"] == rate
    summary = next(m.value for m in app.markdown if "participaron en MISKA" in m.value)
    assert (f"{expected['enrolled']} personas participaron en MISKA; "
            f"{expected['employed']} consiguieron empleo") in summary
    shown = _rendered(app)
    assert not re.search(r"(?<![\w.`])reintegration\.[a-z_]+\.[a-z_.]+", shown), "raw message key on the page"
    assert len(app.get("plotly_chart")) >= 7


def decided_text(protected, cell_id: tuple, lang: str = "es") -> str:
    """How the page must show one cell: its count when the view's protection published it, else the reading of
    the kind the protection decided (1 to k-1 suppressed: small; others suppressed: protecting; a cell the view
    does not publish at all: withheld)."""
    values, suppressed = protected.table.values, protected.suppressed
    if cell_id not in values:
        return i18n.hidden_mark(i18n.WITHHELD, lang)
    if cell_id not in suppressed:
        return i18n.format_number(values[cell_id], lang)
    return i18n.hidden_mark(i18n.SMALL if 1 <= values[cell_id] < 5 else i18n.PROTECTING, lang)


def _matrix_texts(protected, lang: str) -> list[str]:
    """The text of every sex x age cell whose rate is not published (groups with anyone), both panels: its
    count's decided reading when the count is hidden, 'no publicada' when only the rate is."""
    texts = []
    for stage in ("employed", "enterprise"):
        for key, rate in protected.figures.breakdowns["sex_age"].set_index(["sex", "age_group"])[
                f"{stage}_rate"].items():
            if not pd.isna(rate) or protected.table.values.get(C.cell("enrolled", "sex_age", key)) == 0:
                continue
            count = decided_text(protected, C.cell(stage, "sex_age", key), lang)
            texts.append(count if count in i18n.hidden_marks() else i18n.hidden_mark(i18n.WITHHELD, lang))
    return sorted(texts)


def test_page_sex_age_and_survey_figures_in_spanish(fresh_caches, protected):
    app = _page(CASES[0])
    expected = oracle()
    enrolled, employed = expected["sex_age"][("female", "15_24")]
    low, high = R.wilson_interval(employed, enrolled)
    row = _table_with(app, "Grupo de edad").set_index(["Sexo", "Grupo de edad"]).loc[("Mujeres", "15–24")]
    assert row["Participantes"] == str(enrolled) and row["Con empleo"] == str(employed)
    assert [row["Tasa de empleo"], row["Empleo, IC 95 %: desde"], row["Empleo, IC 95 %: hasta"]] == \
        [i18n.format_share(v, "es") for v in (employed / enrolled, low, high)]
    assert row["Tasa de empleo"] == "40,0\xa0%"
    survey = _table_with(app, "Proporción que mejoró").set_index("Grupo")
    surveyed, improved = expected["survey"]["by_age"]["25_34"]
    assert survey.loc["25–34", "Con ambas encuestas"] == str(surveyed)
    assert survey.loc["25–34", "Proporción que mejoró"] == i18n.format_share(improved / surveyed, "es")
    # Two of the 109 did not improve: the total share would reveal them, so it is protected.
    assert expected["survey"]["surveyed"] - expected["survey"]["improved"] == 2
    assert pd.isna(protected["none"].figures.survey.set_index("group_by").loc["total", "improved_rate"])
    assert survey.loc["Total", "Proporción que mejoró"] == i18n.hidden_mark(i18n.WITHHELD, "es") == "no publicada"
    specs = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    matrix = next(spec for spec in specs if spec["data"][0]["type"] == "heatmap")
    cells = [a["text"] for a in matrix["layout"]["annotations"] if "<br>" in a["text"]]
    assert f"<b>40\xa0%</b><br>{employed} / {enrolled}" in cells  # employment, women 15–24
    # A grey cell reads the kind the protection decided for its count ('menos de 5', 'oculta'), or 'no publicada'
    # when only its rate is hidden; the caption under the matrix says why for each reading it shows.
    hidden = sorted(a["text"] for a in matrix["layout"]["annotations"] if a["text"] in i18n.hidden_marks())
    texts = _matrix_texts(protected["none"], "es")
    assert hidden == texts and {i18n.hidden_mark(i18n.SMALL, "es"), i18n.hidden_mark(i18n.PROTECTING, "es")} <= set(texts)
    caption = next(c.value for c in app.caption if c.value.startswith("Cada celda"))
    assert all(f"«{text}»" in caption for text in texts)


def test_page_in_english(fresh_caches):
    app = _page(CASES[0], lang="en")
    expected = oracle()
    assert app.title[0].value == "Reintegration (MISKA)"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Participants"] == str(expected["enrolled"]) and metrics["Employed"] == str(expected["employed"])
    funnel = _table_with(app, "Stage").set_index("Stage")
    assert funnel.loc["Found a job", "Share of participants"] == i18n.format_share(46 / 136, "en") == "33.8%"
    row = _table_with(app, "Age group").set_index(["Sex", "Age group"]).loc[("Women", "15–24")]
    assert [row["Employment rate"], row["Employment, 95% CI: from"], row["Employment, 95% CI: to"]] == \
        ["40.0%", "25.6%", "56.4%"]
    summary = next(m.value for m in app.markdown if "took part in MISKA" in m.value)
    assert "136 people took part in MISKA; 46 found a job and 35 started or consolidated an enterprise" in summary
    shown = _rendered(app)
    assert "participaron" not in shown and "Tasa de empleo" not in shown
    assert not re.search(r"(?<![\w.`])reintegration\.[a-z_]+\.[a-z_.]+", shown)


def test_territory_table_links_each_municipality(fresh_caches):
    app = _page(CASES[0])
    table = _table_with(app, "Mapa territorial")
    huehuetenango = table.set_index("Municipio").loc["Huehuetenango"]
    assert huehuetenango["Participantes"] == str(oracle()["municipality"]["1301"])
    assert "pais=GTM" in huehuetenango["Mapa territorial"] and "unidad=1301" in huehuetenango["Mapa territorial"]
    assert "nivel=municipality" in huehuetenango["Mapa territorial"]
    assert huehuetenango["Mi municipio"].startswith("my_municipality?municipio=1301&pais=GTM")
