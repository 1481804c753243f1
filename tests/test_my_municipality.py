"""The My municipality page headless (AppTest) and its pure functions, against figures recomputed with plain pandas."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import i18n
from tests.reference_figures import published_fate, published_text
from indicators.municipal import Figure, protect_components
from tests.conftest import ROOT, SAMPLE
from tests.tables import shown as shown_cells

APP = str(ROOT / "dashboard.py")
PAGE = "pages/my_municipality.py"
START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31")


def _csv(name: str, dates: list[str]) -> pd.DataFrame:
    frame = pd.read_csv(SAMPLE / f"{name}.csv", dtype=str, keep_default_na=False)
    for column in dates:
        frame[column] = pd.to_datetime(frame[column].replace("", None))
    return frame


def expected(country: str, column: str, code: str) -> dict[str, int]:
    """Distinct people served, MISKA employed and agents trained in 2023–2024, from the CSV files only."""
    people = _csv("participants", [])
    people = people[(people["country"] == country) & (people[column] == code)].set_index("participant_id")
    parts = _csv("participations", ["start_date", "end_date"])
    parts = parts[parts["participant_id"].isin(people.index)]
    end = parts["end_date"].fillna(parts["start_date"])
    served = parts[(parts["start_date"] <= END) & (end >= START)]["participant_id"].unique()
    outcomes = _csv("outcomes", ["date"])
    jobs = outcomes[(outcomes["outcome"] == "employment") & outcomes["date"].between(START, END)
                    & outcomes["participant_id"].isin(people.index)]["participant_id"].unique()
    trained = parts[(parts["component"] == "prevention_agent_training") & (parts["completed"] == "true")
                    & parts["end_date"].between(START, END)]["participant_id"].unique()
    return {
        "people_served": len(served),
        "miska_employed": int((people.loc[jobs, "programme"] == "miska_reintegration").sum()),
        "agents_trained": int((people.loc[trained, "programme"] == "prevention_network").sum()),
    }


def _page(username: str = "liderazgo", lang: str | None = None, **params: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=180)
    app.session_state["authentication_status"] = True
    app.session_state["username"] = username
    for key, value in params.items():
        app.query_params[key] = value
    if lang:
        app.query_params["lang"] = lang
    app.run()
    return app.switch_page(PAGE).run()


def _metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def _table(app: AppTest, index: int = 0) -> pd.DataFrame:
    return shown_cells(app.dataframe[index])


def test_picking_a_municipality_shows_its_figures_and_updates_the_link(fresh_caches):
    app = _page()
    assert not app.exception, app.exception
    assert [box.value for box in app.selectbox] == [None, None, None]
    app.selectbox[0].select("GTM").run()
    app.selectbox[1].select("13").run()
    app.selectbox[2].select("1301").run()
    assert not app.exception, app.exception
    assert app.query_params["municipio"] == "1301" and app.query_params["pais"] == "GTM"
    figures = expected("GTM", "municipality_code", "1301")
    department = expected("GTM", "department_code", "13")
    metrics = _metrics(app)
    assert metrics[i18n.translate("indicator.people_served.label", "es")] == str(figures["people_served"])
    employed_1301 = published_text("miska_employed", "2023-01-01", "2024-12-31", ("GTM", "municipality", "1301"))
    assert employed_1301 in (str(figures["miska_employed"]), *(i18n.hidden_mark(k, "es") for k in i18n.HIDDEN_KINDS))
    assert metrics[i18n.translate("indicator.miska_employed.label", "es")] == employed_1301
    table = _table(app).set_index(i18n.translate("municipality.table.figure", "es"))
    served = table.loc[i18n.translate("indicator.people_served.label", "es")]
    assert list(served) == [str(figures["people_served"]), str(department["people_served"]),
                            i18n.format_number(expected_total(), "es")]
    employed = table.loc[i18n.translate("indicator.miska_employed.label", "es")]
    assert employed.iloc[1] == published_text("miska_employed", "2023-01-01", "2024-12-31", ("GTM", "department", "13"))
    assert employed.iloc[1] in (str(department["miska_employed"]),
                                *(i18n.hidden_mark(k, "es") for k in i18n.HIDDEN_KINDS))
    sentences = app.markdown[1].value
    assert f"En Huehuetenango, {figures['people_served']} personas recibieron" in sentences
    assert employed_clause(employed_1301, figures["miska_employed"], "es") in sentences


def employed_clause(shown: str, count: int, lang: str) -> str:
    """How the summary says how many found a job, given how the page shows the figure (`shown`)."""
    if shown == str(count):
        return f"{count} consiguieron empleo" if lang == "es" else f"{count} found a job"
    if shown == i18n.hidden_mark(i18n.SMALL, lang):
        return "menos de 5 personas consiguieron empleo" if lang == "es" else "fewer than 5 people found a job"
    return i18n.translate("municipality.sentence.employed.protected", lang)


def expected_total() -> int:
    parts = _csv("participations", ["start_date", "end_date"])
    end = parts["end_date"].fillna(parts["start_date"])
    return parts[(parts["start_date"] <= END) & (end >= START)]["participant_id"].nunique()


def test_deep_link_opens_the_municipality_with_agents_and_a_locator_map(fresh_caches):
    app = _page(municipio="020804", pais="BOL")
    assert not app.exception, app.exception
    assert [box.value for box in app.selectbox] == ["BOL", "02", "020804"]
    figures = expected("BOL", "municipality_code", "020804")
    metrics = _metrics(app)
    assert metrics[i18n.translate("indicator.people_served.label", "es")] == str(figures["people_served"])
    assert metrics[i18n.translate("indicator.agents_trained.label", "es")] == str(figures["agents_trained"])
    department = expected("BOL", "department_code", "02")
    agents = _table(app).set_index(i18n.translate("municipality.table.figure", "es")).loc[
        i18n.translate("indicator.agents_trained.label", "es")]
    assert agents.iloc[1] == str(department["agents_trained"])
    deck = json.loads(app.get("deck_gl_json_chart")[0].proto.json)
    assert "mapProvider" not in deck
    highlighted = deck["layers"][2]["data"]["features"]
    assert [f["properties"]["code"] for f in highlighted] == ["020804"]


def test_sentences_in_english_from_the_same_figures(fresh_caches):
    # The English page itself is checked in the browser test: AppTest formats selectbox options in
    # the test thread, which has no session language, so an English rerun cannot be simulated there.
    from auth.roles import Role, Scope
    from indicators.municipal import sentences
    from store.municipal import municipal_profile

    profile = municipal_profile(("GTM", "1301"), scope=Scope("liderazgo", Role.LEADERSHIP))
    figures = expected("GTM", "municipality_code", "1301")
    text = sentences(profile, "en")
    assert text[0] == f"In Huehuetenango, {figures['people_served']} people were served directly by the programme " \
                      "in 2023–2024."
    employed = published_text("miska_employed", "2023-01-01", "2024-12-31", ("GTM", "municipality", "1301"), lang="en")
    department = expected("GTM", "department_code", "13")
    assert text[1] == f"In the whole department of Huehuetenango, {department['people_served']} people received " \
                      "direct support in the same period."
    assert text[2].endswith(f"; {employed_clause(employed, figures['miska_employed'], 'en')}.")


def test_people_per_component_are_the_municipality_s_only(fresh_caches):
    """A department's count beside its municipalities' counts (each on its own page) would give a hidden one
    away: the page and its files publish the municipality's column only, with the counts of pandas."""
    from auth.roles import Role, Scope
    from exports.page_tables import components as component_export
    from indicators.municipal import component_table
    from store.municipal import municipal_profile

    profile = municipal_profile(("GTM", "1301"), scope=Scope("liderazgo", Role.LEADERSHIP))
    assert set(profile.components["level"]) == {"municipality"} and len(profile.levels) == 3
    table = component_table(profile, "es")
    assert list(table.columns) == ["Componente", "Huehuetenango"]
    assert list(component_export(profile, "es").frame.columns[:2]) == ["component", "municipality_value"]
    parts = pd.read_csv(SAMPLE / "participations.csv", dtype=str, keep_default_na=False)
    people = pd.read_csv(SAMPLE / "participants.csv", dtype=str, keep_default_na=False)
    end = parts["end_date"].replace("", None).fillna(parts["start_date"])
    active = parts[(parts["start_date"] <= "2024-12-31") & (end >= "2023-01-01")]
    here = active[active["participant_id"].isin(people.loc[people["municipality_code"] == "1301", "participant_id"])]
    counts = here.groupby("component")["participant_id"].nunique()
    shown = dict(zip(table["Componente"], table["Huehuetenango"]))
    technical = i18n.translate("municipality.component.technical_training", "es")
    assert shown[technical] in (str(counts["technical_training"]), *i18n.hidden_marks())
    assert any(value.isdigit() for value in shown.values())


def test_municipality_without_presence_says_so(fresh_caches):
    app = _page(municipio="1303")  # Malacatancito, Huehuetenango: no programme activity
    assert not app.exception, app.exception
    assert any(i18n.translate("municipality.no_activity.title", "es", place="Malacatancito") in box.value
               for box in app.info)
    assert not app.metric and not app.error


def test_unknown_code_in_a_link_is_a_clear_message(fresh_caches):
    app = _page(municipio="9999")
    assert not app.exception
    assert app.error[0].value == i18n.translate("filters.link_unknown", "es", code="9999")


def test_official_sees_only_san_pedro_necta(fresh_caches):
    app = _page("municipal")
    assert not app.exception, app.exception
    assert app.selectbox[0].options == ["Guatemala"]
    assert app.selectbox[1].options == ["Huehuetenango"]
    assert app.selectbox[2].options == ["San Pedro Necta"]
    assert app.selectbox[2].value == "1306"
    assert app.query_params["municipio"] == "1306"
    table = _table(app)
    assert len(table.columns) == 3  # figure, municipality, department: no wider total for an official
    department = expected("GTM", "department_code", "13")
    served = table.set_index(table.columns[0]).loc[i18n.translate("indicator.people_served.label", "es")]
    assert served.iloc[1] == str(department["people_served"])
    # San Pedro Necta's 8 people include a profile cell of 1. The total (8) is not small: the breakdowns that
    # would pin it down are withheld as a whole instead, so the official sees their municipality's total.
    assert expected("GTM", "municipality_code", "1306")["people_served"] == 8
    assert served.iloc[0] == "8"


def test_official_reads_their_figures_and_a_small_one_as_fewer_than_5(fresh_caches):
    """Issue 12: signed in as the municipal official, San Pedro Necta's headline figures are published (8 people
    served, 8 MISKA participants) and the employed figure, 1 to 4 people, reads "menos de 5" with the reason a
    click away (the metric's help), and so does the summary sentence."""
    app = _page("municipal")
    assert not app.exception, app.exception
    metrics = {m.label: m for m in app.metric}
    served, participants, employed = (metrics[i18n.translate(f"indicator.{i}.label", "es")]
                                      for i in ("people_served", "miska_participants", "miska_employed"))
    assert (served.value, participants.value) == ("8", "8")
    assert 1 <= expected("GTM", "municipality_code", "1306")["miska_employed"] < 5
    assert published_fate("miska_employed", "2023-01-01", "2024-12-31", ("GTM", "municipality", "1306")) == i18n.SMALL
    assert employed.value == "menos de 5"
    assert employed.proto.help.startswith(i18n.hidden_reason(i18n.SMALL, "es"))
    assert i18n.translate("indicator.miska_employed.definition", "es") in employed.proto.help
    assert "menos de 5 personas consiguieron empleo" in app.markdown[1].value


def test_official_link_to_another_municipality_is_refused(fresh_caches):
    app = _page("municipal", municipio="1301")
    assert not app.exception
    assert app.error[0].value == i18n.translate("scope.not_in_territory", "es")
    assert not app.metric and not app.dataframe


@pytest.mark.parametrize("counts, base, expected_values", [
    ([5, 3, 0, 9], Figure(12), [5, None, 0, None]),  # 3 is small; 12 - 9 = 3 would single people out
    ([10], Figure(12), [None]),  # "all but two" singles two people out
    ([12, 6], Figure(12), [12, 6]),
    ([6, 0], Figure(None, True), [None, 0]),  # a protected base protects every non-zero component
])
def test_component_counts_are_protected_against_the_total(counts, base, expected_values):
    frame = pd.DataFrame({"component": [f"c{i}" for i in range(len(counts))], "value": counts})
    out = protect_components(frame, base, threshold=5)
    assert [None if pd.isna(v) else int(v) for v in out["value"]] == expected_values
    assert list(out["suppressed"]) == [v is None for v in expected_values]


def test_catalogues_have_the_same_keys():
    es = json.loads((ROOT / "i18n" / "es.municipality.json").read_text(encoding="utf-8"))
    en = json.loads((ROOT / "i18n" / "en.municipality.json").read_text(encoding="utf-8"))
    assert set(es) == set(en)


def test_the_same_link_followed_again_after_another_page_selects_the_municipality(fresh_caches):
    """Leaving the page drops the pickers' state; following the same link again must fill them again."""
    app = _page(municipio="020804", pais="BOL")
    assert [box.value for box in app.selectbox] == ["BOL", "02", "020804"]
    app.switch_page("pages/overview.py").run()
    assert not app.exception, app.exception
    app.query_params["municipio"], app.query_params["pais"] = "020804", "BOL"
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    assert [box.value for box in app.selectbox][:3] == ["BOL", "02", "020804"]
