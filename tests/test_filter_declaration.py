"""One filter declaration (indicators.filter_specs): every page's sidebar is drawn from it, with the declared keys
and options, and the options that come from the data (years, MISKA units) follow the data version."""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import i18n
from auth.roles import Role, Scope
from data_loaders.schemas import COUNTRIES, DATASETS, PROGRAMMES, SEXES
from geo.units import territorial_units
from indicators import reintegration
from indicators.age_groups import BRACKET_SETS, DEFAULT_BRACKET_SET, age_group_codes
from indicators.filter_specs import FILTERS, ONE, PAGES, SIDES, FilterSpec
from indicators.filters import Filters
from store.database import STORE_FILE, create_schema, import_frame
from tests.conftest import ROOT
from tests.tiny_store import tiny_store

LEADERSHIP = Scope("liderazgo", Role.LEADERSHIP)
MUNICIPAL = Scope("municipal", Role.MUNICIPAL_OFFICIAL, (("GTM", "1306"),))
# The widgets of each page's sidebar, in order: (key, kind). Tests and shared links rely on these keys.
SIDEBARS = {
    "overview": [("filters.period", "select_slider"), ("filters.programmes", "multiselect"),
                 ("filters.countries", "multiselect"), ("filters.sexes", "multiselect"),
                 ("filters.bracket_set", "selectbox"), (f"filters.age_groups.{DEFAULT_BRACKET_SET}", "multiselect")],
    "reintegration": [("reintegration.departments", "multiselect"), ("reintegration.municipalities", "multiselect")],
    "prevention_network": [("network.period", "select_slider"), ("network.side", "radio")],
    "forum_deck": [("forum.period", "select_slider")],
}
SIDEBARS["territorial_map"] = SIDEBARS["overview"]
KINDS = ("select_slider", "multiselect", "selectbox", "radio")


# --- the declaration, pure ----------------------------------------------------------------------------

def test_every_page_with_filters_has_a_declaration_of_declared_filters():
    assert set(PAGES) == set(SIDEBARS)
    for page in PAGES.values():
        assert set(page.filters) <= set(FILTERS)
        assert all(spec.depends_on in page.filters[:page.filters.index(spec.name)]
                   for spec in page.specs() if spec.depends_on), page.key


def test_every_option_source_named_is_provided():
    from ui.filters import OPTION_SOURCES

    assert {spec.options for spec in FILTERS.values() if isinstance(spec.options, str)} == set(OPTION_SOURCES)


def test_every_text_of_the_declaration_is_in_both_catalogues():
    keys = {key for page in PAGES.values() for spec in page.specs() for key in (spec.label, spec.help, spec.note) if key}
    keys |= {f"{spec.labels}.{code}" for spec in FILTERS.values() if spec.labels and not isinstance(spec.options, str)
             for code in spec.options}
    for lang in ("es", "en"):
        assert keys <= set(i18n.catalogue(lang)), keys - set(i18n.catalogue(lang))


def test_every_page_allows_one_value_per_filter():
    for name, page in PAGES.items():
        caps = {spec.max_selections for spec in page.specs() if spec.widget == "multiselect"}
        assert caps <= {ONE}, name


@pytest.mark.parametrize("page, chosen, expected", [
    ("overview", {"period": (2024, 2024), "programmes": ["regional_support"], "countries": ["COL"],
                  "sexes": ["female"], "bracket_set": "gt_youth", "age_groups": ["13_29"]},
     Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), programmes=("regional_support",),
             countries=("COL",), sexes=("female",), bracket_set="gt_youth", age_groups=("13_29",))),
    ("reintegration", {"departments": ["13"], "municipalities": ["1306"]},
     Filters(programmes=(reintegration.PROGRAMME,), departments=(("GTM", "13"),), municipalities=(("GTM", "1306"),))),
    ("prevention_network", {"period": (2023, 2025), "side": "PER"},
     Filters(start=dt.date(2023, 1, 1), end=dt.date(2025, 12, 31), programmes=("prevention_network",),
             countries=("PER",))),
    ("prevention_network", {"period": (2023, 2024), "side": "both"},
     Filters(start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), programmes=("prevention_network",))),
    ("forum_deck", {"period": (2024, 2025)}, Filters(start=dt.date(2024, 1, 1), end=dt.date(2025, 12, 31))),
])
def test_chosen_values_become_filters(page, chosen, expected):
    assert Filters(**PAGES[page].filter_values(chosen)) == expected


def test_pages_only_call_the_renderer_with_their_declaration():
    """No page or page module draws a filter of its own: the declaration is the one place."""
    calls = {page: f"sidebar({page.upper()}, scope)" for page in PAGES}
    for page, call in calls.items():
        assert call in (ROOT / "pages" / f"{page}.py").read_text(encoding="utf-8"), page
    drawn = re.compile(r"sidebar\.(select_slider|multiselect|selectbox)|side\.(select_slider|multiselect|selectbox)")
    for path in [*(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]:
        if path.name != "filters.py":
            assert not drawn.search(path.read_text(encoding="utf-8")), path


# --- the declaration rendered (a tiny app) --------------------------------------------------------------

def _app(page, scope):  # no annotations: AppTest runs the source of this function alone
    import streamlit as st

    from indicators.filter_specs import PAGES
    from ui.filters import sidebar

    st.session_state["chosen"] = sidebar(PAGES[page], scope)


def _run(page: str, scope: Scope = LEADERSHIP, lang: str = "es") -> AppTest:
    app = AppTest.from_function(_app, args=(page, scope), default_timeout=60)
    app.query_params["lang"] = lang
    return app.run()


def _widgets(app: AppTest) -> list[tuple[str, str]]:
    """(key, kind) of the sidebar's widgets, in the order drawn."""
    return [(node.key, node.type) for node in app.sidebar if node.type in KINDS and node.key != "lang"]


def _labels(prefix: str, codes, lang: str = "es") -> list[str]:
    return [i18n.translate(f"{prefix}.{code}", lang) for code in codes]


@pytest.fixture
def caches():
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_page_draws_the_widgets_it_declares(data_dir, caches, page):
    app = _run(page)
    assert not app.exception, app.exception
    assert _widgets(app) == SIDEBARS[page]
    assert app.session_state["chosen"] == Filters(**PAGES[page].filter_values(
        {spec.name: _untouched(spec) for spec in PAGES[page].specs()}))


def _untouched(spec: FilterSpec) -> object:
    """What a filter selects before anyone touches it: the reporting period, the default age set, no value."""
    return {"period": (2023, 2024), "select": spec.default, "radio": SIDES[0]}.get(spec.widget, [])


def test_overview_offers_the_declared_options_one_value_each(data_dir, caches):
    app = _run("overview")
    assert app.multiselect(key="filters.programmes").options == _labels("programme", PROGRAMMES)
    assert app.multiselect(key="filters.countries").options == _labels("country", COUNTRIES)
    assert app.multiselect(key="filters.sexes").options == _labels("sex", SEXES)
    assert app.selectbox(key="filters.bracket_set").options == _labels("age_set", BRACKET_SETS)
    assert app.multiselect(key=f"filters.age_groups.{DEFAULT_BRACKET_SET}").options == \
        _labels("age_group", age_group_codes(DEFAULT_BRACKET_SET))
    assert all(app.multiselect(key=key).proto.max_selections == ONE for key, kind in SIDEBARS["overview"]
               if kind == "multiselect")
    app.selectbox(key="filters.bracket_set").set_value("gt_youth").run()
    assert app.multiselect(key="filters.age_groups.gt_youth").options == \
        _labels("age_group", age_group_codes("gt_youth"))


def test_a_municipal_official_is_offered_their_country_only(data_dir, caches):
    app = _run("overview", MUNICIPAL)
    assert app.multiselect(key="filters.countries").options == _labels("country", ["GTM"])


def test_network_side_radio_and_forum_help_text(data_dir, caches):
    network = _run("prevention_network", lang="en")
    assert network.radio(key="network.side").options == ["Both", "Bolivia", "Peru"]
    network.radio(key="network.side").set_value("BOL").run()
    assert network.session_state["chosen"].countries == ("BOL",)
    forum = _run("forum_deck")
    assert forum.select_slider(key="forum.period").help == i18n.translate("forum.period.help", "es")
    assert not forum.sidebar.subheader  # the deck has its period only, no "Filters" header


def test_a_period_the_family_does_not_offer_is_said(data_dir, caches):
    app = _run("overview")
    assert not app.sidebar.warning
    app.select_slider(key="filters.period").set_value((2023, 2023)).run()
    assert not app.sidebar.warning  # a single year, at the region
    app.select_slider(key="filters.period").set_value((2022, 2023)).run()
    assert app.sidebar.warning[0].value == i18n.translate("filters.period_not_offered", "es", period="2023–2024")


# --- options that follow the data ---------------------------------------------------------------------------

def _miska_municipalities(departments) -> list[str]:
    units = territorial_units()
    units = units[(units["country"] == "GTM") & (units["level"] == "municipality")
                  & units["department_code"].isin(departments)].sort_values(["department_name", "name"])
    return [f"{row.name} ({row.department_name})" for row in units.itertuples()]


def _department_names(codes) -> list[str]:
    units = territorial_units()
    units = units[(units["country"] == "GTM") & (units["level"] == "department") & units["code"].isin(codes)]
    return sorted(units["name"])


def test_sample_data_offers_the_five_miska_departments_and_their_municipalities(data_dir, caches):
    app = _run("reintegration")
    assert app.multiselect(key="reintegration.departments").options == _department_names(reintegration.DEPARTMENTS)
    assert app.multiselect(key="reintegration.municipalities").options == \
        _miska_municipalities(reintegration.DEPARTMENTS)
    app.multiselect(key="reintegration.departments").select("09").run()
    assert app.multiselect(key="reintegration.municipalities").options == _miska_municipalities(["09"])
    assert app.session_state["chosen"].departments == (("GTM", "09"),)


def _store_in(folder, *extra: tuple[str, pd.DataFrame]) -> None:
    """The tiny store (tests/tiny_store.py) as a store file in `folder`, with `extra` rows imported after it."""
    source, con = tiny_store(), duckdb.connect(str(folder / STORE_FILE))
    create_schema(con)
    for dataset in DATASETS:
        frame = source.execute(f'SELECT * FROM "{dataset}"').df()
        if len(frame):
            import_frame(con, dataset, frame, file_name=f"{dataset}.csv", checksum="test", imported_by="test")
    for dataset, frame in extra:
        import_frame(con, dataset, frame, file_name=f"{dataset}.csv", checksum="test", imported_by="test")
    con.close()


def _participant_2026() -> list[tuple[str, pd.DataFrame]]:
    """A MISKA participant of Quetzaltenango (GTM 09) who took part in 2026."""
    participants = pd.DataFrame([{
        "participant_id": "H", "programme": "miska_reintegration", "country": "GTM", "department_code": "09",
        "municipality_code": "0901", "sex": "female", "age": 24, "ethnicity": "kiche", "migration_profile": "returnee",
        "enrolment_date": pd.Timestamp("2026-02-01"), "institution_id": None}])
    participations = pd.DataFrame([{
        "participant_id": "H", "component": "technical_training", "start_date": pd.Timestamp("2026-02-01"),
        "end_date": pd.Timestamp("2026-05-01"), "hours": 40, "completed": True}])
    return [("participants", participants), ("participations", participations)]


@pytest.mark.parametrize("extra, years, departments", [
    ((), list(range(2022, 2026)), ["12", "13"]),
    (_participant_2026(), list(range(2022, 2027)), ["09", "12", "13"]),
])
def test_years_and_miska_units_follow_the_data(monkeypatch, tmp_path, caches, extra, years, departments):
    _store_in(tmp_path, *extra)
    monkeypatch.setenv("CONEXION_DATA_DIR", str(tmp_path))
    app = _run("reintegration")
    assert not app.exception, app.exception
    assert app.multiselect(key="reintegration.departments").options == _department_names(departments)
    assert app.multiselect(key="reintegration.municipalities").options == _miska_municipalities(departments)
    app = _run("overview")
    assert not app.exception, app.exception
    assert app.select_slider(key="filters.period").options == [str(year) for year in years]
    app.select_slider(key="filters.period").set_value((years[-1], years[-1])).run()
    assert app.session_state["chosen"].start == dt.date(years[-1], 1, 1)
