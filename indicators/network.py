"""The binational prevention network as data: which institutions and ties are shown, graph metrics and
layout, the published reach (agents trained, people sensitized) with its cumulative quarterly series, and
the cascade ratio. Pure functions: frames in, frames and numbers out (no Streamlit, no store).

Definitions (documented on the page):
- the network is the institutions and ties as registered, whatever the period (ties carry the date
  they started; the page lists the network as it stands, the figures of reach follow the period);
  a country side or an institution type keeps those institutions and the ties among them;
- a tie is one registered row (a pair of institutions and a kind of tie); a cross-border tie links
  a Bolivian and a Peruvian institution; degree is the number of distinct partner institutions;
  density is the share of possible pairs of the shown institutions that are tied;
- cascade ratio = people sensitized ÷ agents trained, both under the same filters.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from i18n import PROTECTING, SMALL, WITHHELD

LAYOUT_SEED = 20240611  # a fixed seed: the graph looks the same on every run and in every export

# The breakdowns each reach indicator publishes on the page, by name (publication.family.AGENT_GRANULARITY and
# ATTENDANCE_GRANULARITY offer them); the quarters give the cumulative series.
AGENT_BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "country": ("country",), "municipality": ("municipality",), "institution": ("institution",),
    "sex_age": ("sex", "age_group"), "quarter": ("quarter",),
}
SESSION_BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "country": ("country",), "municipality": ("municipality",), "institution": ("institution",),
    "sex_age": ("sex", "attendance_age_group"), "topic": ("topic",), "audience": ("audience",),
    "quarter": ("quarter",),
}


# --- the network -----------------------------------------------------------------------------------

def select_network(institutions: pd.DataFrame, ties: pd.DataFrame, countries: tuple[str, ...] = (),
                   types: tuple[str, ...] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(nodes, edges): the institutions of the chosen countries and types, and the ties among them.

    edges gain source_country, target_country and `cross_border` (the two ends in different countries).
    """
    keep = pd.Series(True, index=institutions.index)
    if countries:
        keep &= institutions["country"].isin(countries)
    if types:
        keep &= institutions["type"].isin(types)
    nodes = institutions[keep].sort_values("institution_id").reset_index(drop=True)
    country_of = dict(zip(nodes["institution_id"], nodes["country"]))
    inside = ties["source_id"].isin(country_of) & ties["target_id"].isin(country_of)
    edges = ties[inside].reset_index(drop=True)
    edges = edges.assign(source_country=edges["source_id"].map(country_of),
                         target_country=edges["target_id"].map(country_of))
    edges["cross_border"] = (edges["source_country"] != edges["target_country"]).astype(bool)
    return nodes, edges


def build_graph(nodes: pd.DataFrame, edges: pd.DataFrame) -> nx.Graph:
    """An undirected simple graph: one node per institution, one edge per tied pair (whatever the kinds)."""
    graph = nx.Graph()
    for row in nodes.itertuples(index=False):
        graph.add_node(row.institution_id, name=row.name, type=row.type, country=row.country)
    for row in edges.itertuples(index=False):
        graph.add_edge(row.source_id, row.target_id)
    return graph


@dataclass(frozen=True)
class NetworkMetrics:
    institutions: int
    ties: int
    cross_border_ties: int
    density: float | None  # None with fewer than two institutions


def network_metrics(nodes: pd.DataFrame, edges: pd.DataFrame) -> NetworkMetrics:
    graph = build_graph(nodes, edges)
    density = nx.density(graph) if graph.number_of_nodes() > 1 else None
    return NetworkMetrics(institutions=len(nodes), ties=len(edges),
                          cross_border_ties=int(edges["cross_border"].sum()), density=density)


def degree_ranking(nodes: pd.DataFrame, edges: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """The `top` institutions with most distinct partners: institution_id, name, type, country, degree
    (ties broken by name, so the list is stable)."""
    graph = build_graph(nodes, edges)
    degrees = dict(graph.degree())
    ranked = nodes.assign(degree=[int(degrees.get(i, 0)) for i in nodes["institution_id"]])
    ranked = ranked.sort_values(["degree", "name"], ascending=[False, True], kind="stable")
    return ranked[["institution_id", "name", "type", "country", "degree"]].head(top).reset_index(drop=True)


def graph_layout(nodes: pd.DataFrame, edges: pd.DataFrame, seed: int = LAYOUT_SEED, gap: float = 0.35
                 ) -> pd.DataFrame:
    """institution_id, x, y: a force-directed layout with a fixed seed (it never moves between runs), each
    country then fitted into its own side, west to east as on the map (Peru left, Bolivia right), so that
    cross-border ties are the lines crossing the middle."""
    graph = build_graph(nodes, edges)
    if graph.number_of_nodes() == 0:
        return pd.DataFrame({"institution_id": [], "x": [], "y": []})
    spread = 2.4 / np.sqrt(graph.number_of_nodes())
    positions = nx.spring_layout(graph, k=spread, iterations=100, seed=seed)
    frame = nodes[["institution_id", "country", "lon"]].assign(
        x=[float(positions[i][0]) for i in nodes["institution_id"]],
        y=[float(positions[i][1]) for i in nodes["institution_id"]])
    countries = list(frame.groupby("country")["lon"].mean().sort_values().index)
    width = (2.0 - gap * (len(countries) - 1)) / len(countries)
    for index, country in enumerate(countries):
        rows = frame["country"] == country
        left = -1.0 + index * (width + gap)
        frame.loc[rows, "x"] = left + width * _unit_interval(frame.loc[rows, "x"])
        frame.loc[rows, "y"] = -1.0 + 2.0 * _unit_interval(frame.loc[rows, "y"])
    return frame[["institution_id", "x", "y"]].reset_index(drop=True)


def _unit_interval(values: pd.Series) -> pd.Series:
    low, high = values.min(), values.max()
    return (values - low) / (high - low) if high > low else values * 0 + 0.5


def institution_reach(nodes: pd.DataFrame, agents: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """nodes with agents, agents_suppressed, agents_hidden, people, people_suppressed, people_hidden from the
    protected institution breakdowns (`*_hidden`: the kind of a hidden count); an institution absent from a
    breakdown has a true zero there."""
    out = nodes.copy()
    for column, frame in (("agents", agents), ("people", people)):
        rows = frame.set_index("institution_id")
        present = out["institution_id"].isin(rows.index)
        values = out["institution_id"].map(rows["value"]) if len(rows) else pd.Series(pd.NA, index=out.index)
        hidden = out["institution_id"].map(rows["suppressed"]) if len(rows) else pd.Series(False, index=out.index)
        out[column] = pd.array(values.where(present, 0), dtype="Int64")
        out[f"{column}_suppressed"] = hidden.where(present, False).astype(bool)
        out[f"{column}_hidden"] = _kinds(out["institution_id"], rows, present)
    return out


def _kinds(keys: pd.Series | pd.Index, rows: pd.DataFrame, present) -> list:
    """The kind of hidden (`hidden`) of each of `keys` in `rows` (indexed by them); None where absent or shown."""
    if "hidden" not in rows or not len(rows):
        return [None] * len(keys)
    kinds = rows["hidden"].reindex(keys).to_list()
    return [k if p and isinstance(k, str) else None for k, p in zip(kinds, present)]


def side_by_side(agents: pd.DataFrame, people: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """keys, agents, agents_suppressed, agents_hidden, people, people_suppressed, people_hidden: the two protected
    breakdowns of the same units next to each other (a unit absent from one breakdown has a true zero there)."""
    units = pd.concat([agents[keys], people[keys]], ignore_index=True).drop_duplicates().reset_index(drop=True)
    out = units.copy()
    for column, frame in (("agents", agents), ("people", people)):
        rows = frame.set_index(keys)
        index = pd.MultiIndex.from_frame(units) if len(keys) > 1 else pd.Index(units[keys[0]])
        present = index.isin(rows.index)
        values = rows["value"].reindex(index).to_numpy()
        hidden = rows["suppressed"].reindex(index).to_numpy()
        out[column] = pd.array([v if p else 0 for v, p in zip(values, present)], dtype="Int64")
        out[f"{column}_suppressed"] = [bool(h) if p else False for h, p in zip(hidden, present)]
        out[f"{column}_hidden"] = _kinds(index, rows, present)
    return out


def municipality_reach(agents: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """country, code, name, agents(_suppressed), people(_suppressed) per municipality, named; a unit with
    only zeros in both is left out."""
    from indicators.territory import with_unit_names

    named = [with_unit_names(frame, "municipality") for frame in (agents, people)]
    both = side_by_side(named[0], named[1], ["country", "code"])
    names = pd.concat(named)[["country", "code", "name"]].drop_duplicates(["country", "code"])
    both = both.merge(names, on=["country", "code"], how="left")
    nonzero = (both["agents"].fillna(1) != 0) | (both["people"].fillna(1) != 0)
    return both[nonzero].reset_index(drop=True)[["country", "code", "name", "agents", "agents_suppressed",
                                                 "agents_hidden", "people", "people_suppressed", "people_hidden"]]


# --- reach, as published ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Reach:
    """One indicator's published total, named breakdowns and cumulative quarterly series (value <NA> where
    hidden, with `suppressed` and the kind of `hidden`), every figure a cell of its publication family."""

    total: pd.DataFrame
    breakdowns: dict[str, pd.DataFrame]
    cumulative: pd.DataFrame  # quarter, value (running total), suppressed, hidden

    @property
    def value(self) -> object:
        return self.total["value"].iloc[0]

    @property
    def is_suppressed(self) -> bool:
        return bool(self.total["suppressed"].iloc[0])

    @property
    def hidden(self) -> str | None:
        """The total's kind of hidden (`i18n.HIDDEN_KINDS`), None when it is published."""
        return self.total["hidden"].iloc[0] if "hidden" in self.total else None


def cumulative_series(quarterly: pd.DataFrame) -> pd.DataFrame:
    """quarter, value, suppressed, hidden: the running total of the published quarterly figures, from the start of
    the period; from the first hidden quarter on, the total is hidden too (it would hold the hidden figure), with
    that quarter's kind. Built from published figures only, so it reveals nothing they do not."""
    values, suppressed, kinds = [], [], []
    running, blocked = 0, None
    for value, hidden, kind in zip(quarterly["value"], quarterly["suppressed"],
                                   quarterly.get("hidden", pd.Series([None] * len(quarterly)))):
        if blocked is None and bool(hidden):
            blocked = kind if isinstance(kind, str) else WITHHELD
        if blocked is None:
            running += int(value)
        values.append(pd.NA if blocked else running)
        suppressed.append(blocked is not None)
        kinds.append(_running_kind(blocked))
    return pd.DataFrame({"quarter": list(quarterly["quarter"]), "value": pd.array(values, dtype="Int64"),
                         "suppressed": suppressed, "hidden": pd.Series(kinds, dtype=object)})


def _running_kind(kind: str | None) -> str | None:
    """A running total that holds a hidden quarter is hidden to protect it (never "small": it is not that
    quarter's count), or withheld with it."""
    if kind is None:
        return None
    return PROTECTING if kind in (SMALL, PROTECTING) else kind


def people_per_agent(agents: object, agents_suppressed: bool, people: object, people_suppressed: bool
                     ) -> float | None:
    """People sensitized ÷ agents trained; None when either is protected or missing, or no agent was trained."""
    if agents_suppressed or people_suppressed or pd.isna(agents) or pd.isna(people) or int(agents) == 0:
        return None
    return int(people) / int(agents)


def ratio_hidden(*parts: tuple[bool, object]) -> str | None:
    """The kind of hidden of a ratio of counts, given (suppressed, kind) of each count: None when no count is
    hidden; withheld when a hidden count is withheld or of unknown kind; else protecting. Never small: a ratio
    is not a count of people."""
    kinds = [kind for suppressed, kind in parts if suppressed]
    if not kinds:
        return None
    return PROTECTING if all(kind in (SMALL, PROTECTING) for kind in kinds) else WITHHELD


def cascade_ratio(people: Reach, agents: Reach) -> float | None:
    """The cascade ratio of the page: people sensitized per agent trained, under the same filters."""
    return people_per_agent(agents.value, agents.is_suppressed, people.value, people.is_suppressed)
