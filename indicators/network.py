"""The binational prevention network as data: which institutions and ties are shown, graph metrics and
layout, the protected reach (agents trained, people sensitized) with its cumulative monthly series, and
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

from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from i18n import PROTECTING, SMALL, WITHHELD
from indicators.linked import ADDITIVE, TOTAL_ID, linked_table, published_frame
from privacy.cells import CellTable
from privacy.suppression import protect

LAYOUT_SEED = 20240611  # a fixed seed: the graph looks the same on every run and in every export
CUMULATIVE = "cumulative"

# The breakdowns each reach indicator publishes on the page, by name (order matters: the cell ids
# carry the position, and country comes first so institutions can be tied to their country).
AGENT_BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "country": ("country",), "municipality": ("municipality",), "institution": ("institution",),
    "sex_age": ("sex", "age_group"), "month": ("month",),
}
SESSION_BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "country": ("country",), "municipality": ("municipality",), "institution": ("institution",),
    "sex_age": ("sex", "attendance_age_group"), "topic": ("topic",), "audience": ("audience",), "month": ("month",),
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


# --- reach, protected ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reach:
    """One indicator's protected total, named breakdowns and cumulative monthly series
    (value <NA> where suppressed), with the table and pattern they were protected as."""

    total: pd.DataFrame
    breakdowns: dict[str, pd.DataFrame]
    cumulative: pd.DataFrame  # month, value (cumulative count), suppressed, hidden
    table: CellTable
    suppressed: frozenset

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


def _ids(index: int, frame: pd.DataFrame) -> list[tuple]:
    keys = [c for c in frame.columns if c != "value"]
    return [(index, *row) for row in frame[keys].itertuples(index=False, name=None)]


def cumulative_cells(monthly: pd.DataFrame, new_ids: list[Hashable] | None = None
                     ) -> tuple[dict[Hashable, int], list[tuple[Hashable, tuple[Hashable, ...]]]]:
    """Cells (CUMULATIVE, month) = running sum of `monthly` (month, value), and the relations
    cum(first) = new(first), cum(m) = cum(m-1) + new(m); new(m) cells are `new_ids` (or ("new", month))."""
    months = list(monthly["month"])
    new_ids = new_ids or [("new", m) for m in months]
    values: dict[Hashable, int] = dict(zip(new_ids, (int(v) for v in monthly["value"])))
    relations = []
    running, previous = 0, None
    for month, new_id in zip(months, new_ids):
        running += values[new_id]
        cell = (CUMULATIVE, month)
        values[cell] = running
        relations.append((cell, (new_id,) if previous is None else (previous, new_id)))
        previous = cell
    return values, relations


def cumulative_table(monthly: pd.DataFrame) -> CellTable:
    """The monthly counts and their cumulative series as one table (the relations a reader can use)."""
    values, relations = cumulative_cells(monthly)
    return CellTable(values, relations)


def protect_cumulative(monthly: pd.DataFrame, k: int, margin: int) -> pd.DataFrame:
    """month, value (cumulative, <NA> where suppressed), suppressed: the cumulative line alone, protected
    with the monthly increments it reveals by difference."""
    table = cumulative_table(monthly)
    hidden = protect(table, k, margin)
    return _cumulative_frame(table, hidden, list(monthly["month"]), k)


def _cumulative_frame(table: CellTable, hidden: set, months: list, k: int) -> pd.DataFrame:
    cells = [(CUMULATIVE, m) for m in months]
    values = pd.array([table.values[c] for c in cells], dtype="Int64")
    return published_frame(pd.DataFrame({"month": months, "value": values}), cells, hidden, k)


def _group_relations(values: dict, frame_index: int, frame: pd.DataFrame, target_of: dict[str, Hashable]
                     ) -> list[tuple[Hashable, tuple]]:
    """Relations target = sum of the institution cells mapped to it, where the numbers say they add up."""
    groups: dict[Hashable, list[tuple]] = {}
    for cell, institution in zip(_ids(frame_index, frame), frame["institution_id"]):
        if institution in target_of:
            groups.setdefault(target_of[institution], []).append(cell)
    return [(target, tuple(parts)) for target, parts in groups.items()
            if target in values and values[target] == sum(values[p] for p in parts)]


def reach_table(total: int, frames: list[pd.DataFrame], breakdowns: list[tuple[str, ...]],
                institutions: pd.DataFrame) -> CellTable:
    """Every cell the page publishes for one indicator and every relation a reader could use.

    Starts from `indicators.linked.linked_table` and adds what it leaves out: breakdowns outside its
    additive list (institution, topic, audience, month) that add up to the total; institution cells
    adding up to their country's and municipality's cell; the cumulative monthly series. A relation
    is added only when the true counts satisfy it, so an extra relation can only add protection.
    """
    base = linked_table(total, frames, tuple(breakdowns))
    values, relations = dict(base.values), list(base.relations)
    position = {by: i for i, by in enumerate(breakdowns)}
    for index, (frame, by) in enumerate(zip(frames, breakdowns)):
        ids = _ids(index, frame)
        if ids and not set(by) <= ADDITIVE and sum(values[c] for c in ids) == total:
            relations.append((TOTAL_ID, tuple(ids)))
    if ("institution",) in position:
        index = position[("institution",)]
        frame = frames[index]
        if ("country",) in position:
            country_cell = {row.institution_id: (position[("country",)], row.country)
                            for row in institutions.itertuples(index=False)}
            relations += _group_relations(values, index, frame, country_cell)
        if ("municipality",) in position:
            municipality_cell = {row.institution_id: (position[("municipality",)], row.country,
                                                      row.municipality_code[:2], row.municipality_code)
                                 for row in institutions.itertuples(index=False)}
            relations += _group_relations(values, index, frame, municipality_cell)
    if ("month",) in position:
        index = position[("month",)]
        month_values, chain = cumulative_cells(frames[index], _ids(index, frames[index]))
        values.update(month_values)
        relations += chain
    return CellTable(values, relations)


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    """True counts with institution ids filled (an agent without institution is counted under '')."""
    if "institution_id" in frame.columns:
        frame = frame.assign(institution_id=frame["institution_id"].fillna("").astype(str))
    return frame


def protect_reach(total: int, frames: dict[str, pd.DataFrame], breakdowns: dict[str, tuple[str, ...]],
                  institutions: pd.DataFrame, k: int, margin: int) -> Reach:
    """Protect one indicator's total, breakdowns and cumulative series together (one table, one pattern).

    frames: true counts per named breakdown (breakdown columns + `value`), as `indicators.compute._counts`
    returns them; `breakdowns` must include ("month",) for the cumulative series.
    """
    names = list(breakdowns)
    true = [_clean(frames[name]) for name in names]
    table = reach_table(int(total), true, [breakdowns[n] for n in names], institutions)
    hidden = protect(table, k, margin)
    published = {name: published_frame(frame, _ids(i, frame), hidden, k)
                 for i, (name, frame) in enumerate(zip(names, true))}
    total_frame = published_frame(pd.DataFrame({"value": [int(total)]}), [TOTAL_ID], hidden, k)
    months = list(true[names.index("month")]["month"]) if "month" in names else []
    return Reach(total_frame, published, _cumulative_frame(table, hidden, months, k), table, frozenset(hidden))


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
