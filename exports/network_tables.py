"""The Prevention network page's tables as export frames (see exports.page_tables): by country, the most
connected institutions and every institution shown, with counts as numbers and hidden cells <NA> (carrying
their kind of hidden, `exports.tables.with_hidden`, so the files read them as the page does).

The page draws its tables from these same frames (formatted for the screen), so the files carry exactly
the rows, columns and protected cells it shows.
"""

from __future__ import annotations

import pandas as pd

import i18n
from exports.hxl import COLUMN_TAGS, INDICATOR_TAGS
from exports.page_tables import PageTable
from exports.tables import with_hidden
from indicators.network import people_per_agent, ratio_hidden

# People reached per agent trained: a derived figure of our own (#indicator with attributes, as HXL allows).
RATIO_TAG = "#indicator+num+per_agent"
DEGREE_TAG = "#org+partners+num"
NO_AGENT = "–"  # the ratio when no agent was trained: not protected, undefined

TAGS = {
    "country_name": COLUMN_TAGS["country_name"], "name": "#org+name", "type": "#org+type",
    "agents": INDICATOR_TAGS["agents_trained"], "people": INDICATOR_TAGS["people_sensitized"],
    "ratio": RATIO_TAG, "degree": DEGREE_TAG,
}
HEADER_KEYS = {
    "country_name": "chart.country", "name": "network.column.institution", "type": "network.column.type",
    "ratio": "network.column.ratio", "degree": "network.column.degree",
}


def _counts(values: pd.Series, suppressed: pd.Series) -> pd.Series:
    """Int64 counts, <NA> where protected."""
    return pd.Series(pd.array([pd.NA if hidden or pd.isna(v) else int(v) for v, hidden in zip(values, suppressed)],
                              dtype="Int64"))


def _table(frame: pd.DataFrame, lang: str, header_keys: dict[str, str], rows: pd.DataFrame | None = None
           ) -> PageTable:
    """`frame` with its headers and tags; the agents and people columns carry the kinds of hidden of `rows`."""
    headers = {column: i18n.translate(header_keys.get(column, HEADER_KEYS.get(column, "")), lang)
               for column in frame.columns}
    frame = frame.reset_index(drop=True)
    if rows is not None:
        frame = with_hidden(frame, {c: rows[f"{c}_hidden"].to_list() for c in ("agents", "people")
                                    if f"{c}_hidden" in rows})
    return PageTable(frame, headers, {c: TAGS[c] for c in frame.columns})


def _ratio(agents: object, agents_hidden: bool, agents_kind: object, people: object, people_hidden: bool,
           people_kind: object, lang: str) -> object:
    """One decimal as shown; the reading of a hidden figure when a count it divides is hidden (never "fewer
    than 5": a ratio is not a count); "–" when no agent was trained."""
    value = people_per_agent(agents, agents_hidden, people, people_hidden)
    if value is not None:
        return round(value, 1)
    kind = ratio_hidden((agents_hidden or pd.isna(agents), agents_kind), (people_hidden or pd.isna(people), people_kind))
    return NO_AGENT if kind is None else i18n.hidden_mark(kind, lang)


def by_country(rows: pd.DataFrame, lang: str) -> PageTable:
    """Agents trained, people sensitized and people per agent on each side shown.

    rows: country, agents(_suppressed, _hidden), people(_suppressed, _hidden) (`indicators.network.side_by_side`).
    The ratio column mixes numbers with the readings of hidden figures and "–", so it is exported as written
    on the page.
    """
    frame = pd.DataFrame({
        "country_name": [i18n.translate(f"country.{c}", lang) for c in rows["country"]],
        "agents": _counts(rows["agents"], rows["agents_suppressed"]),
        "people": _counts(rows["people"], rows["people_suppressed"]),
        "ratio": pd.Series([_ratio(*cells, lang) for cells in zip(
            rows["agents"], rows["agents_suppressed"], rows["agents_hidden"], rows["people"],
            rows["people_suppressed"], rows["people_hidden"])], dtype="object"),
    })
    return _table(frame, lang, {"agents": "network.column.agents", "people": "network.column.people"}, rows)


def most_connected(ranking: pd.DataFrame, lang: str, top: int = 5) -> PageTable:
    """The `top` institutions with most partners: name and degree (`indicators.network.degree_ranking`)."""
    rows = ranking.head(top)
    frame = pd.DataFrame({"name": rows["name"].astype(str).to_list(),
                          "degree": pd.array(rows["degree"].to_list(), dtype="Int64")})
    return _table(frame, lang, {})


def institutions(nodes: pd.DataFrame, degrees: dict[str, int], lang: str) -> PageTable:
    """Every institution shown: name, type, country, agents trained, people sensitized, partners.

    nodes: institution_id, name, type, country, agents(_suppressed, _hidden), people(_suppressed, _hidden)
    (`indicators.network.institution_reach`).
    """
    frame = pd.DataFrame({
        "name": nodes["name"].astype(str).to_list(),
        "type": [i18n.translate(f"institution_type.{c}", lang) for c in nodes["type"]],
        "country_name": [i18n.translate(f"country.{c}", lang) for c in nodes["country"]],
        "agents": _counts(nodes["agents"], nodes["agents_suppressed"]),
        "people": _counts(nodes["people"], nodes["people_suppressed"]),
        "degree": pd.array([int(degrees.get(i, 0)) for i in nodes["institution_id"]], dtype="Int64"),
    })
    return _table(frame, lang, {"agents": "indicator.agents_trained.label",
                                "people": "indicator.people_sensitized.label"}, nodes)
