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
from indicators import reintegration_views as V
from indicators.compute import compute as compute_indicator
from indicators.filters import Filters
from indicators.map_views import MapView, view_from_query
from tests.conftest import SAMPLE
from tests.signed_in import open_reintegration_tables, run_dashboard
from tests.test_roles import _rendered
from tests.tables import shown as shown_cells

START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31")
PAGE = "pages/reintegration.py"
MISKA_COMPONENTS = ("technical_training", "digital_skills", "community_leadership", "entrepreneurship",
                    "psychosocial_support")
WEIGHTS = {"economic": 0.4, "social": 0.3, "psychosocial": 0.3}
BASE = Filters(start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), programmes=("miska_reintegration",))
# (name, Filters changes, sidebar widget key and values) of the filters every layer is checked under.
CASES = [
    ("none", {}, None),
    ("huehuetenango", {"departments": (("GTM", "13"),)}, [("reintegration.departments", "13")]),
    ("municipality", {"departments": (("GTM", "13"),), "municipalities": (("GTM", "1306"),)},
     [("reintegration.departments", "13"), ("reintegration.municipalities", "1306")]),
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


def oracle(departments=(), municipalities=()) -> dict:
    """Every figure of the page for the 2023–2024 cohort, from the CSV files only."""
    people = _csv("participants")
    parts = _csv("participations", ("start_date", "end_date"))
    outcomes = _csv("outcomes", ("date",))
    surveys = _csv("reintegration_surveys")
    overlap = parts[(parts["start_date"] <= END) & (parts["end_date"].fillna(parts["start_date"]) >= START)]
    people = people[people["programme"] == "miska_reintegration"]
    people = people[people["participant_id"].isin(overlap["participant_id"])]
    miska = _csv("participants")
    miska = miska[miska["programme"] == "miska_reintegration"]
    if departments:
        people = people[people["department_code"].isin([code for _, code in departments])]
        miska = miska[miska["department_code"].isin([code for _, code in departments])]
    if municipalities:
        people = people[people["municipality_code"].isin([code for _, code in municipalities])]
        miska = miska[miska["municipality_code"].isin([code for _, code in municipalities])]
    cohort = set(people["participant_id"])
    took = overlap[overlap["participant_id"].isin(cohort) & overlap["component"].isin(MISKA_COMPONENTS)]
    # Outcomes are the registry's: MISKA participants with an outcome dated in the period.
    in_period = outcomes[outcomes["date"].between(START, END) & outcomes["participant_id"].isin(miska["participant_id"])]
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
    by_ethnicity = people.groupby("ethnicity")["participant_id"].apply(set)
    figures["ethnicity"] = {e: (len(ids), len(ids & with_outcome["employment"])) for e, ids in by_ethnicity.items()}
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
    return R.ReintegrationFigures(start, end, 5, WEIGHTS, funnel, {}, pd.DataFrame())


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


# --- the store: counts of the people family, their fates, the filters it holds ----------------------

@pytest.fixture(scope="module")
def con(sample_con):
    return sample_con


@pytest.fixture(scope="module")
def published(con, fates_cache):
    from publication.sources import published_family

    return published_family(con, "people", 5, 2, fates_cache)


@pytest.fixture(scope="module")
def figures(con, published):
    from store.reintegration import compute

    return {name: compute(con, published, BASE.with_(**changes), WEIGHTS, 5) for name, changes, _ in CASES}


def _unit(changes: dict) -> tuple:
    if "municipalities" in changes:
        (country, code), = changes["municipalities"]
        return country, "municipality", code
    if "departments" in changes:
        (country, code), = changes["departments"]
        return country, "department", code
    return ("GTM",)


def _cell(stage: str, changes: dict, population: tuple = ()) -> tuple:
    from publication.miska import stage_cell

    return stage_cell(stage, (BASE.start, BASE.end), _unit(changes), population)


def decided_text(published, cell_id: tuple, lang: str = "es") -> str:
    """How the page must show one cell: its count when the family publishes it, else the reading of its fate."""
    from publication.protection import PUBLISHED
    from publication.published import hidden_of

    value = published.family.values.get(cell_id, 0)
    fate = published.fate(cell_id, value)
    return i18n.format_number(value, lang) if fate == PUBLISHED else i18n.hidden_mark(hidden_of(fate), lang)


def test_the_sample_cohort_is_136_people(figures):
    assert figures["none"].total("enrolled") == 136 == oracle()["enrolled"]


@pytest.mark.parametrize("name, changes", [(n, c) for n, c, _ in CASES])
def test_enrolled_is_the_registry_miska_participants(con, published, name, changes):
    registry = compute_indicator(con, "miska_participants", BASE.with_(**changes))["value"].iloc[0]
    assert published.family.values[_cell("enrolled", changes)] == int(registry)


@pytest.mark.parametrize("name, changes", [(n, c) for n, c, _ in CASES])
def test_funnel_counts_match_pandas_and_show_their_fate(published, figures, name, changes):
    expected = oracle(**{k: v for k, v in changes.items() if k == "departments"},
                      municipalities=changes.get("municipalities", ()))
    stages = [s for s in R.STAGES if name != "municipality" or s in R.MEASURES]  # a municipality: three figures
    assert {s: published.family.values.get(_cell(s, changes), 0) for s in stages} == {s: expected[s] for s in stages}
    funnel = figures[name].funnel.set_index("stage")
    for stage in R.STAGES:
        shown = funnel.loc[stage, "value"]
        text = i18n.hidden_mark(funnel.loc[stage, "hidden"], "es") if pd.isna(shown) else i18n.format_number(shown, "es")
        if stage in stages:
            assert text == decided_text(published, _cell(stage, changes)), stage
        else:
            assert funnel.loc[stage, "hidden"] == i18n.NOT_OFFERED


def test_the_funnel_of_the_reporting_period_is_published(figures):
    """Guatemala's funnel: every stage but the consolidated enterprises (35 = 28 + 11 − 4 would give the 4 people
    with both away), which the joint protection hides."""
    funnel = figures["none"].funnel.set_index("stage")["value"]
    expected = oracle()
    hidden = [s for s in R.STAGES if pd.isna(funnel[s])]
    assert hidden == ["enterprise_consolidated"]
    assert expected["enterprise_started"] + expected["enterprise_consolidated"] - expected["enterprise"] < 5
    assert {s: int(funnel[s]) for s in R.STAGES if s not in hidden} == {s: expected[s] for s in R.STAGES
                                                                        if s not in hidden}


def test_the_stages_are_tied_to_each_other_and_to_the_registry(published):
    """What a reader derives from two figures side by side is a relation of the family: participants who did not
    take a component, not surveyed, not improved; employed = the registry's; enterprises by kind."""
    relations = {(total, frozenset(parts)) for total, parts in published.family.relations}
    unit = {}
    enrolled = _cell("enrolled", unit)
    miska = ("miska:enrolled", (BASE.start, BASE.end), ("GTM",), ())
    assert (enrolled, frozenset({miska})) in relations  # people served of MISKA is the stage's total
    for stage in (*MISKA_COMPONENTS, "completed", "surveyed"):
        complement = (f"miska:enrolled-not-{stage}", *miska[1:])
        assert (miska, frozenset({_cell(stage, unit), complement})) in relations, stage
    assert _cell("employed", unit)[0] == "miska_employed" and _cell("enterprise", unit)[0] == "miska_enterprises"
    parts = {(f"miska:{p}", *miska[1:]) for p in ("started-only", "consolidated-only", "started&consolidated")}
    assert (_cell("enterprise", unit), frozenset(c for c in parts if c in published.family.values)) in relations


@pytest.mark.parametrize("changes", [{"sexes": ("female",)}, {"ethnicities": ("mam",)}, {"components": ("digital_skills",)},
                                     {"start": dt.date(2024, 1, 1)}, {"departments": (("GTM", "13"), ("GTM", "12"))}])
def test_questions_the_family_does_not_hold_are_not_offered(con, published, changes):
    from store.reintegration import compute

    figures = compute(con, published, BASE.with_(**changes), WEIGHTS, 5)
    assert figures.funnel["value"].isna().all() and (figures.funnel["hidden"] == i18n.NOT_OFFERED).all()
    assert all(frame.empty or frame["enrolled"].isna().all() for frame in figures.breakdowns.values())


def test_published_rates_match_pandas(figures):
    expected = oracle()
    frame = figures["none"].breakdowns["ethnicity"].set_index("ethnicity")
    rows = frame[frame["employed_rate"].notna()]
    assert len(rows) >= 2
    for ethnicity, row in rows.iterrows():
        enrolled, employed = expected["ethnicity"][ethnicity]
        assert (row["enrolled"], row["employed"]) == (enrolled, employed)
        assert row["employed_rate"] == pytest.approx(employed / enrolled)
        assert (row["employed_low"], row["employed_high"]) == pytest.approx(R.wilson_interval(employed, enrolled))
    survey = figures["none"].survey.set_index(["group_by", "group"])
    assert survey.loc[("total", "total"), "surveyed"] == expected["survey"]["surveyed"]
    # Two of the 109 did not improve: the count of those who did would reveal them, so it is hidden.
    assert expected["survey"]["surveyed"] - expected["survey"]["improved"] == 2
    assert pd.isna(survey.loc[("total", "total"), "improved"])
    assert pd.isna(survey.loc[("total", "total"), "improved_rate"])


def test_municipalities_read_the_same_cells_as_every_page(published, figures):
    frame = figures["huehuetenango"].breakdowns["municipality"]
    assert set(frame["department_code"]) == {"13"}
    for row in frame.itertuples(index=False):
        unit = {"municipalities": (("GTM", row.municipality_code),)}
        assert (i18n.format_number(row.enrolled, "es") if not pd.isna(row.enrolled)
                else i18n.hidden_mark(row.enrolled_hidden, "es")) == decided_text(published, _cell("enrolled", unit))
    mine = figures["municipality"].funnel.set_index("stage")
    assert int(mine.loc["enrolled", "value"]) == oracle(municipalities=(("GTM", "1306"),))["enrolled"] == 8


# --- the page headless -----------------------------------------------------------------------------

def _page(case: tuple, lang: str | None = None):
    app = open_reintegration_tables(run_dashboard("liderazgo", lang=lang, page=PAGE))
    assert not app.exception, app.exception
    for key, value in case[2] or ():
        app.multiselect(key=key).select(value).run()
        assert not app.exception, app.exception
    return app


def _table_with(app, column: str) -> pd.DataFrame:
    return next(shown_cells(frame) for frame in app.dataframe if column in shown_cells(frame).columns)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_page_shows_the_funnel_of_the_unit(fresh_caches, published, case):
    app = _page(case)
    changes = case[1]
    metrics = {m.label: m.value for m in app.metric}
    label = i18n.translate("reintegration.metric.enrolled", "es")
    assert metrics[label] == decided_text(published, _cell("enrolled", changes))
    funnel = _table_with(app, "Etapa").set_index("Etapa")["Personas"]
    for stage in R.STAGES:
        label = i18n.translate(f"reintegration.stage.{stage}", "es")
        figure = case[0] != "municipality" or stage in R.MEASURES
        assert funnel[label] == (decided_text(published, _cell(stage, changes)) if figure
                                 else i18n.hidden_mark(i18n.NOT_OFFERED, "es"))
    shown = _rendered(app)
    assert not re.search(r"(?<![\w.`])reintegration\.[a-z_]+\.[a-z_.]+", shown), "raw message key on the page"


def test_page_in_spanish_shows_rates_only_with_both_counts(fresh_caches, figures):
    app = _page(CASES[0])
    funnel = _table_with(app, "Etapa").set_index("Etapa")
    assert funnel.loc["Consiguieron empleo", "Proporción de participantes"] == i18n.format_share(46 / 136, "es")
    summary = next(m.value for m in app.markdown if "participaron en MISKA" in m.value)
    assert "136 personas participaron en MISKA; 46 consiguieron empleo y 35" in summary
    groups = _table_with(app, "Pueblo").set_index("Pueblo")
    mam = figures["none"].breakdowns["ethnicity"].set_index("ethnicity").loc["mam"]
    assert groups.loc["Mam", "Tasa de empleo"] == i18n.format_share(mam["employed_rate"], "es")
    survey = _table_with(app, "Proporción que mejoró").set_index("Grupo")
    assert survey.loc["Total", "Con ambas encuestas"] == "109"
    assert survey.loc["Total", "Proporción que mejoró"] == i18n.hidden_mark(i18n.WITHHELD, "es") == "no publicada"


def test_page_in_english(fresh_caches):
    app = _page(CASES[0], lang="en")
    expected = oracle()
    assert app.title[0].value == "Reintegration (MISKA)"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Participants"] == str(expected["enrolled"]) and metrics["Employed"] == str(expected["employed"])
    funnel = _table_with(app, "Stage").set_index("Stage")
    assert funnel.loc["Found a job", "Share of participants"] == i18n.format_share(46 / 136, "en") == "33.8%"
    summary = next(m.value for m in app.markdown if "took part in MISKA" in m.value)
    assert "136 people took part in MISKA; 46 found a job and 35 started or consolidated an enterprise" in summary
    shown = _rendered(app)
    assert "participaron" not in shown and "Tasa de empleo" not in shown
    assert not re.search(r"(?<![\w.`])reintegration\.[a-z_]+\.[a-z_.]+", shown)


def test_territory_table_links_each_municipality(fresh_caches, published):
    app = _page(CASES[0])
    table = _table_with(app, "Mapa territorial")
    huehuetenango = table.set_index("Municipio").loc["Huehuetenango"]
    unit = {"municipalities": (("GTM", "1301"),)}
    assert huehuetenango["Participantes"] == decided_text(published, _cell("enrolled", unit)) == "18"
    assert "pais=GTM" in huehuetenango["Mapa territorial"] and "unidad=1301" in huehuetenango["Mapa territorial"]
    assert "nivel=municipality" in huehuetenango["Mapa territorial"]
    assert huehuetenango["Mi municipio"].startswith("my_municipality?municipio=1301&pais=GTM")


def test_a_table_is_drawn_only_while_its_expander_is_open(fresh_caches):
    """Issue 15: a closed table cost every rerun its Styler, Arrow conversions and buttons; it is drawn when
    opened (a rerun), with its CSV / Excel buttons."""
    from ui import reintegration

    app = run_dashboard("liderazgo", page=PAGE)
    assert not app.exception, app.exception
    columns = [set(shown_cells(frame).columns) for frame in app.dataframe]
    assert len(columns) == 2 and not any("Etapa" in c for c in columns)  # open by default: municipalities, organisations
    buttons = len(app.get("download_button"))
    app.session_state[reintegration.table_key("funnel")] = True
    app.run()
    assert not app.exception, app.exception
    assert any("Etapa" in shown_cells(frame).columns for frame in app.dataframe)
    assert len(app.get("download_button")) == buttons + 2  # its CSV and Excel
