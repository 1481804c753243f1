"""Prevention network: graph metrics on hand-made networks, the cumulative series of published quarters, the
reach read from the publication families, and the page headless under each filter, checked against figures
recomputed with pandas."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

import i18n
import settings
from indicators.filters import Filters
from indicators.network import cumulative_series, degree_ranking, graph_layout, network_metrics, people_per_agent, \
    select_network
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


# --- pure: the cumulative series ---------------------------------------------------------------------

def _quarters(values: list, hidden: list) -> pd.DataFrame:
    return pd.DataFrame({"quarter": pd.date_range("2023-01-01", periods=len(values), freq="QS"),
                         "value": pd.array([pd.NA if h else v for v, h in zip(values, hidden)], dtype="Int64"),
                         "suppressed": [h is not None for h in hidden], "hidden": hidden})


def test_cumulative_series_is_the_running_total_of_published_quarters():
    series = cumulative_series(_quarters([12, 7, 9, 15], [None] * 4))
    assert series["value"].tolist() == [12, 19, 28, 43]
    assert not series["suppressed"].any() and series["hidden"].isna().all()


def test_cumulative_series_stops_at_the_first_hidden_quarter():
    """A running total that held a hidden quarter would give it away by difference with the one before it."""
    series = cumulative_series(_quarters([12, 2, 9, 15], [None, i18n.SMALL, None, None]))
    assert series["value"].iloc[0] == 12 and series["value"].iloc[1:].isna().all()
    assert series["suppressed"].tolist() == [False, True, True, True]
    assert series["hidden"].tolist() == [None] + [i18n.PROTECTING] * 3  # not "small": it is not that quarter's count
    withheld = cumulative_series(_quarters([12, 0, 9], [None, i18n.WITHHELD, None]))
    assert withheld["hidden"].tolist() == [None, i18n.WITHHELD, i18n.WITHHELD]


# --- the sample data, recomputed with pandas ---------------------------------------------------------

def _read(name: str, dates: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.read_csv(SAMPLE / f"{name}.csv", dtype=str, keep_default_na=False)
    return frame.assign(**{d: pd.to_datetime(frame[d].replace("", None)) for d in dates})


def expected(countries: tuple[str, ...] = (), quarter: str = "2023-10-01") -> dict:
    institutions, ties = _read("network_institutions"), _read("network_ties")
    people, parts = _read("participants"), _read("participations", ("start_date", "end_date"))
    sessions = _read("awareness_sessions", ("date",))
    chosen = institutions[institutions["country"].isin(countries or ("BOL", "PER"))]
    country = dict(zip(chosen["institution_id"], chosen["country"]))
    kept = ties[ties["source_id"].isin(country) & ties["target_id"].isin(country)]
    cross = sum(country[a] != country[b] for a, b in zip(kept["source_id"], kept["target_id"]))

    trained = parts[(parts["component"] == "prevention_agent_training") & (parts["completed"] == "true")
                    & parts["end_date"].between(START, END)]
    agents = people[people["participant_id"].isin(trained["participant_id"])
                    & (people["programme"] == "prevention_network")]
    if countries:
        agents = agents[agents["country"].isin(countries)]
    ended = trained.set_index("participant_id")["end_date"]

    sessions = sessions[sessions["date"].between(START, END)]
    if countries:
        sessions = sessions[sessions["country"].isin(countries)]
    counts = [c for c in sessions.columns if c.startswith(("female_", "male_"))]
    attendance = sessions[counts].astype(int).sum(axis=1)
    until = pd.Timestamp(quarter) + pd.offsets.QuarterEnd(0)
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


# --- the reach is read from the publication families ----------------------------------------------------

@pytest.mark.parametrize("filters", [Filters(programmes=("prevention_network",)), Filters(countries=("BOL",)),
                                     Filters(countries=("PER",), start=pd.Timestamp("2024-01-01").date(),
                                             end=pd.Timestamp("2024-12-31").date())],
                         ids=["all", "BOL", "PER-2024"])
@pytest.mark.parametrize("indicator_id", ["agents_trained", "people_sensitized"])
def test_every_figure_of_reach_is_its_cell_in_the_family(fresh_caches, indicator_id, filters):
    """Each row of the reach is one cell of the family: shown with its count where the family publishes it,
    hidden where it does not, and a breakdown the family does not hold at that period is not offered."""
    from publication.protection import PUBLISHED
    from publication.published import NOT_OFFERED, cell_of, request_of
    from indicators.registry import get_indicator
    from store import cached
    from store.network import BREAKDOWNS, reach

    class Leadership:  # the page's users: no territorial scope
        is_territorial = False
        municipalities = ()

    published = reach(indicator_id, filters, scope=Leadership())
    family = cached.published_of(cached.current_data_version())(indicator_id)
    request = request_of(get_indicator(indicator_id), filters, ())
    checked = 0
    for name, by in {"total": (), **BREAKDOWNS[indicator_id]}.items():
        frame = published.total if name == "total" else published.breakdowns[name]
        for row in frame.to_dict("records"):
            cell = cell_of(request, by, row)
            if row["hidden"] == NOT_OFFERED:
                assert by and filters.start.year == filters.end.year, (name, row)  # single years: totals only
                continue
            fate = family.fate(cell, family.family.values.get(cell, 0))
            assert row["suppressed"] == (fate != PUBLISHED), (cell, fate)
            if fate == PUBLISHED:
                assert row["value"] == family.family.values.get(cell, 0), cell
            checked += 1
    assert checked >= 6  # at least the total, its country and its four quarters
    shown = published.cumulative.dropna(subset=["value"])
    quarters = published.breakdowns["quarter"]
    assert shown["value"].tolist() == quarters["value"].iloc[:len(shown)].astype(int).cumsum().tolist()


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
    assert _cumulative_at(app, "es", "people_sensitized", "2023-10-01") == figures["people_until"]
    assert _cumulative_at(app, "es", "agents_trained", "2023-10-01") == figures["agents_until"]
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
    assert _cumulative_at(app, "es", "agents_trained", "2023-10-01") == figures["agents_until"]


def test_the_sidebar_offers_the_period_and_the_side_only(fresh_caches):
    """Institution type, topic and audience are breakdowns of the page, not filters: a filter would ask for
    figures the publication family does not hold."""
    app = run_dashboard("liderazgo", page=PAGE)
    keys = {w.key for kind in ("multiselect", "radio", "select_slider", "selectbox") for w in app.get(kind)}
    assert {"network.period", "network.side"} <= keys
    assert not {k for k in keys if k and k.startswith("network.") and k.split(".")[1] in
                ("institution_types", "topics", "audiences", "bracket_set")}


def test_a_single_year_shows_its_totals_and_says_its_breakdowns_are_not_offered(fresh_caches):
    app = run_dashboard("liderazgo", page=PAGE)
    app.select_slider(key="network.period").set_value((2024, 2024)).run()
    assert not app.exception, app.exception
    start, end = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31")
    sessions = _read("awareness_sessions", ("date",))
    sessions = sessions[sessions["date"].between(start, end)]
    counts = [c for c in sessions.columns if c.startswith(("female_", "male_"))]
    people = int(sessions[counts].astype(int).sum().sum())
    assert _metrics(app)[i18n.translate("indicator.people_sensitized.label", "es")] == i18n.format_number(people, "es")
    texts = [c.value for c in app.caption] + [m.value for m in app.markdown]
    assert any(i18n.translate("publication.not_offered", "es")[:40] in text for text in texts)


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
    app.select_slider(key="network.period").set_value((2025, 2025)).run()
    assert not app.exception, app.exception
    shown = _metrics(app)
    assert shown[i18n.translate("network.metric.institutions", "es")] == "20"
    assert shown[i18n.translate("network.cascade.label", "es")] in ("–", *i18n.hidden_marks())
