"""Prevention network: graph metrics on hand-made networks, protection of the reach (cumulative series
included) and the page headless under several filters, checked against figures recomputed with pandas."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

import i18n
import settings
from indicators.filters import Filters
from indicators.network import cumulative_table, degree_ranking, graph_layout, network_metrics, people_per_agent, \
    protect_cumulative, protect_reach, select_network
from privacy.audit import audit
from privacy.suppression import protect
from tests.conftest import SAMPLE
from tests.signed_in import run_dashboard

PAGE = "pages/prevention_network.py"
START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31")
K, MARGIN = 5, 3


# --- pure: the network ------------------------------------------------------------------------------

def _tiny() -> tuple[pd.DataFrame, pd.DataFrame]:
    institutions = pd.DataFrame({
        "institution_id": ["A", "B", "C", "D"], "name": ["Alfa", "Beta", "Gamma", "Delta"],
        "type": ["school", "police", "school", "health"], "country": ["BOL", "BOL", "PER", "PER"],
        "municipality_code": ["020804", "020804", "210402", "210404"],
        "lon": [-69.0, -68.9, -69.1, -69.2], "lat": [-16.6, -16.5, -16.6, -16.7],
    })
    ties = pd.DataFrame({
        "source_id": ["A", "A", "A", "B", "C"], "target_id": ["B", "B", "C", "C", "D"],
        "tie_type": ["coordination", "referral", "referral", "joint_activity", "training"],
    })
    return institutions, ties


def test_metrics_of_a_tiny_network():
    nodes, edges = select_network(*_tiny())
    metrics = network_metrics(nodes, edges)
    assert (metrics.institutions, metrics.ties, metrics.cross_border_ties) == (4, 5, 2)
    assert metrics.density == pytest.approx(4 / 6)  # tied pairs AB, AC, BC, CD of the 6 possible


def test_degree_ranking_counts_distinct_partners_and_breaks_ties_by_name():
    nodes, edges = select_network(*_tiny())
    ranking = degree_ranking(nodes, edges, top=3)
    assert ranking[["institution_id", "degree"]].values.tolist() == [["C", 3], ["A", 2], ["B", 2]]


@pytest.mark.parametrize("countries, types, ids, ties, cross", [
    (("BOL",), (), ["A", "B"], 2, 0),
    ((), ("school",), ["A", "C"], 1, 1),
    (("PER",), ("school",), ["C"], 0, 0),
])
def test_filters_keep_chosen_institutions_and_the_ties_among_them(countries, types, ids, ties, cross):
    nodes, edges = select_network(*_tiny(), countries=countries, types=types)
    metrics = network_metrics(nodes, edges)
    assert list(nodes["institution_id"]) == ids
    assert (metrics.ties, metrics.cross_border_ties) == (ties, cross)
    assert metrics.density is None if len(ids) < 2 else metrics.density == pytest.approx(ties and 1.0)


def test_graph_layout_is_stable_and_puts_peru_west_of_bolivia():
    nodes, edges = select_network(*_tiny())
    first, second = graph_layout(nodes, edges), graph_layout(nodes, edges)
    pd.testing.assert_frame_equal(first, second)
    x = dict(zip(first["institution_id"], first["x"]))
    assert max(x["C"], x["D"]) < min(x["A"], x["B"])


def test_people_per_agent():
    assert people_per_agent(10, False, 25, False) == 2.5
    assert people_per_agent(10, True, 25, False) is None
    assert people_per_agent(0, False, 25, False) is None


# --- pure: protection ------------------------------------------------------------------------------

def test_institution_cells_are_protected_against_the_total():
    """Agents per institution add up to the total: a small institution cannot be shown beside the rest."""
    institutions = _tiny()[0]
    frames = {"country": pd.DataFrame({"country": ["BOL", "PER"], "value": [20, 0]}),
              "institution": pd.DataFrame({"institution_id": ["A", "B"], "value": [3, 17]}),
              "month": pd.DataFrame({"month": pd.to_datetime(["2023-01-01", "2023-02-01"]), "value": [10, 10]})}
    breakdowns = {"country": ("country",), "institution": ("institution",), "month": ("month",)}
    reach = protect_reach(20, frames, breakdowns, institutions, K, MARGIN)
    by_institution = reach.breakdowns["institution"].set_index("institution_id")["suppressed"]
    assert by_institution.to_dict() == {"A": True, "B": True}
    assert audit(reach.table, reach.suppressed, K, MARGIN).unsafe == []


def test_cumulative_series_hides_what_would_reveal_a_small_month():
    monthly = pd.DataFrame({"month": pd.to_datetime(["2023-01-01", "2023-02-01", "2023-03-01", "2023-04-01"]),
                            "value": [12, 2, 9, 15]})
    table = cumulative_table(monthly)
    assert [table.values[("cumulative", m)] for m in monthly["month"]] == [12, 14, 23, 38]
    shown = protect_cumulative(monthly, K, MARGIN)
    # February's 2 would be read off January and February cumulative values if both were shown.
    assert shown["suppressed"].iloc[0] or shown["suppressed"].iloc[1]
    assert not shown["suppressed"].iloc[3]  # the end of the series stays readable
    pattern = protect(table, K, MARGIN)
    assert audit(table, pattern, K, MARGIN).unsafe == []
    # The line shows exactly the cumulative cells the pattern leaves published (showing fewer of the
    # table's cells, the monthly increments are not drawn, cannot reveal more).
    assert [("cumulative", m) in pattern for m in shown["month"]] == shown["suppressed"].tolist()


# --- the sample data, recomputed with pandas ---------------------------------------------------------

def _read(name: str, dates: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.read_csv(SAMPLE / f"{name}.csv", dtype=str, keep_default_na=False)
    return frame.assign(**{d: pd.to_datetime(frame[d].replace("", None)) for d in dates})


def expected(countries: tuple[str, ...] = (), types: tuple[str, ...] = (), topics: tuple[str, ...] = (),
             month: str = "2023-12-01") -> dict:
    institutions, ties = _read("network_institutions"), _read("network_ties")
    people, parts = _read("participants"), _read("participations", ("start_date", "end_date"))
    sessions = _read("awareness_sessions", ("date",))
    chosen = institutions[institutions["country"].isin(countries or ("BOL", "PER"))
                          & institutions["type"].isin(types or set(institutions["type"]))]
    country = dict(zip(chosen["institution_id"], chosen["country"]))
    kept = ties[ties["source_id"].isin(country) & ties["target_id"].isin(country)]
    cross = sum(country[a] != country[b] for a, b in zip(kept["source_id"], kept["target_id"]))

    trained = parts[(parts["component"] == "prevention_agent_training") & (parts["completed"] == "true")
                    & parts["end_date"].between(START, END)]
    agents = people[people["participant_id"].isin(trained["participant_id"])
                    & (people["programme"] == "prevention_network")]
    if countries:
        agents = agents[agents["country"].isin(countries)]
    if types:
        agents = agents[agents["institution_id"].isin(set(institutions[institutions["type"].isin(types)]["institution_id"]))]
    ended = trained.set_index("participant_id")["end_date"]

    sessions = sessions[sessions["date"].between(START, END)]
    if countries:
        sessions = sessions[sessions["country"].isin(countries)]
    if types:
        sessions = sessions[sessions["institution_id"].isin(set(institutions[institutions["type"].isin(types)]["institution_id"]))]
    if topics:
        sessions = sessions[sessions["topic"].isin(topics)]
    counts = [c for c in sessions.columns if c.startswith(("female_", "male_"))]
    attendance = sessions[counts].astype(int).sum(axis=1)
    until = pd.Timestamp(month) + pd.offsets.MonthEnd(0)
    return {
        "institutions": len(chosen), "ties": len(kept), "cross_border": int(cross),
        "agents": len(agents), "people": int(attendance.sum()),
        "agents_until": int((ended.loc[agents["participant_id"]] <= until).sum()),
        "people_until": int(attendance[sessions["date"] <= until].sum()),
        "by_topic": attendance.groupby(sessions["topic"]).sum().astype(int).to_dict(),
    }


def test_sample_figures_are_the_programme_ones():
    figures = expected()
    assert (figures["agents"], figures["people"], figures["institutions"]) == (532, 1550, 40)
    assert (figures["ties"], figures["cross_border"]) == (90, 18)


# --- protection on the real store --------------------------------------------------------------------

AUDITED = [Filters(programmes=("prevention_network",)), Filters(countries=("BOL",)),
           Filters(countries=("PER",), institution_types=("health",)), Filters(institution_types=("police",)),
           Filters(topics=("digital_safety",), audiences=("parents",))]


@pytest.mark.parametrize("filters", AUDITED, ids=lambda f: "-".join(f.countries + f.institution_types + f.topics)
                         or "all")
@pytest.mark.parametrize("indicator_id", ["agents_trained", "people_sensitized"])
def test_published_reach_and_cumulative_series_pass_the_audit(fresh_caches, indicator_id, filters):
    from indicators.compute import true_counts
    from indicators.registry import get_indicator
    from store import cached
    from store.network import reach

    class Leadership:  # the page's users: no territorial scope
        is_territorial = False
        municipalities = ()

    k, margin = settings.suppression_threshold(), int(settings.get("audit_margin"))
    published = reach(indicator_id, filters, scope=Leadership())
    assert audit(published.table, published.suppressed, k, margin).unsafe == []
    with cached.cursor() as con:
        monthly = true_counts(con, get_indicator(indicator_id), filters, ("month",))
    table = cumulative_table(monthly)  # the cumulative series alone, as the pure function protects it
    pattern = protect(table, k, margin)
    assert audit(table, pattern, k, margin).unsafe == []
    alone = protect_cumulative(monthly, k, margin)
    assert [("cumulative", m) in pattern for m in alone["month"]] == alone["suppressed"].tolist()
    # The page's series is the running total of the published months.
    shown = published.cumulative.dropna(subset=["value"])
    running = monthly.set_index("month")["value"].cumsum()
    assert [int(v) for v in shown["value"]] == [int(running[m]) for m in shown["month"]]


# --- the page, headless ---------------------------------------------------------------------------

def _metrics(app) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def _traces(app):
    for chart in app.get("plotly_chart"):
        yield from json.loads(chart.proto.spec)["data"]


def _cumulative_at(app, lang: str, indicator_id: str, month: str):
    name = i18n.translate(f"indicator.{indicator_id}.label", lang)
    for trace in _traces(app):
        if trace.get("name") == name and trace.get("mode") == "lines+markers":
            return dict(zip([x[:10] for x in trace["x"]], trace["y"]))[month]
    raise AssertionError(f"no cumulative line for {indicator_id}")


def _topic_value(app, lang: str, topic: str) -> float:
    label = i18n.translate(f"topic.{topic}", lang)
    for trace in _traces(app):
        if trace.get("type") == "bar" and label in (trace.get("y") or []):
            return trace["x"][trace["y"].index(label)]
    raise AssertionError(f"no topic bar for {topic}")


def _check(app, lang: str, figures: dict) -> None:
    assert not app.exception, app.exception
    shown = _metrics(app)
    fmt = lambda v: i18n.format_number(v, lang)  # noqa: E731
    assert shown[i18n.translate("indicator.agents_trained.label", lang)] == fmt(figures["agents"])
    assert shown[i18n.translate("indicator.people_sensitized.label", lang)] == fmt(figures["people"])
    assert shown[i18n.translate("network.metric.institutions", lang)] == fmt(figures["institutions"])
    assert shown[i18n.translate("network.metric.ties", lang)] == fmt(figures["ties"])
    assert shown[i18n.translate("network.metric.cross_border", lang)] == fmt(figures["cross_border"])


def test_page_without_filters(fresh_caches):
    app = run_dashboard("liderazgo", page=PAGE)
    figures = expected()
    _check(app, "es", figures)
    assert _metrics(app)[i18n.translate("indicator.people_sensitized.label", "es")] == "1.550"
    assert _cumulative_at(app, "es", "people_sensitized", "2023-12-01") == figures["people_until"]
    assert _cumulative_at(app, "es", "agents_trained", "2023-12-01") == figures["agents_until"]
    assert _topic_value(app, "es", "trafficking_prevention") == figures["by_topic"]["trafficking_prevention"]
    ratio = _metrics(app)[i18n.translate("network.cascade.label", "es")]
    assert ratio == i18n.format_number(figures["people"] / figures["agents"], "es", 1)
    decks = app.get("deck_gl_json_chart")
    assert len(decks) == 2
    for deck in decks:
        spec = json.loads(deck.proto.json)
        assert "mapProvider" not in spec  # map_provider=None: no basemap tiles
        points = next(layer for layer in spec["layers"] if layer["@@type"] == "ScatterplotLayer")["data"]
        assert len(points) == figures["institutions"]
    main = json.loads(decks[0].proto.json)
    units = {f["properties"]["code"] for layer in main["layers"] if isinstance(layer.get("data"), dict)
             for f in layer["data"]["features"] if "code" in f["properties"]}
    assert {"020804", "210402", "020802", "210404"} <= units  # both Desaguadero units and neighbours
    lines = [layer for layer in main["layers"] if layer["@@type"] == "LineLayer"]
    assert [len(layer["data"]) for layer in lines] == [figures["ties"] - figures["cross_border"],
                                                        figures["cross_border"]]


def test_page_bolivia_only(fresh_caches):
    app = run_dashboard("liderazgo", page=PAGE)
    app.radio(key="network.side").set_value("BOL").run()
    figures = expected(countries=("BOL",))
    assert figures["cross_border"] == 0 and figures["institutions"] == 20
    _check(app, "es", figures)
    assert _cumulative_at(app, "es", "agents_trained", "2023-12-01") == figures["agents_until"]


def test_page_one_institution_type(fresh_caches):
    app = run_dashboard("liderazgo", page=PAGE)
    app.multiselect(key="network.institution_types").select("school").run()
    figures = expected(types=("school",))
    _check(app, "es", figures)
    assert 0 < figures["cross_border"] < 18
    assert _topic_value(app, "es", "gender_violence") == figures["by_topic"]["gender_violence"]


def test_page_one_topic_filters_sessions_only(fresh_caches):
    app = run_dashboard("liderazgo", page=PAGE)
    app.multiselect(key="network.topics").select("safe_migration").run()
    figures = expected(topics=("safe_migration",))
    assert figures["agents"] == 532  # agents are not filtered by topic
    _check(app, "es", figures)
    note = i18n.translate("network.agents.not_by_session", "es")
    assert note in [caption.value for caption in app.caption]
    assert _cumulative_at(app, "es", "people_sensitized", "2023-12-01") == figures["people_until"]


def test_page_in_english(fresh_caches):
    app = run_dashboard("liderazgo", page=PAGE, lang="en")
    figures = expected()
    _check(app, "en", figures)
    assert _metrics(app)[i18n.translate("indicator.people_sensitized.label", "en")] == "1,550"
    assert app.title[0].value == i18n.translate("network.title", "en")
    texts = "\n".join(str(element.proto) for kind in ("title", "header", "subheader", "markdown", "caption",
                                                      "metric", "expander") for element in app.get(kind))
    texts += "\n".join(chart.proto.spec for chart in app.get("plotly_chart"))
    texts += "\n".join(deck.proto.json + deck.proto.tooltip for deck in app.get("deck_gl_json_chart"))
    raw = sorted({key for key in i18n.catalogue("en") if re.search(rf"(?<![\w.]){re.escape(key)}(?![\w.])", texts)
                  and not key.startswith(("country.", "age_group."))})
    assert raw == []
    assert i18n.translate("network.legend.tie_cross_border", "es") not in texts


def test_page_with_nothing_to_show_still_renders(fresh_caches):
    app = run_dashboard("liderazgo", page=PAGE)
    app.radio(key="network.side").set_value("PER").run()
    app.multiselect(key="network.institution_types").select("police").run()
    app.select_slider(key="network.period").set_value((2025, 2025)).run()
    assert not app.exception, app.exception
    shown = _metrics(app)
    assert shown[i18n.translate("network.metric.institutions", "es")] == "2"
    assert shown[i18n.translate("network.cascade.label", "es")] in ("–", *i18n.hidden_marks())
