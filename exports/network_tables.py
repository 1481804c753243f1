"""The Prevention network page's tables as export frames (see exports.page_tables): by country, the most
connected institutions and every institution shown, with counts as numbers and protected cells <NA>.

The page draws its tables from these same frames (formatted for the screen), so the files carry exactly
the rows, columns and protected cells it shows.
"""

from __future__ import annotations

import pandas as pd

import i18n
from exports.hxl import COLUMN_TAGS, INDICATOR_TAGS
from exports.page_tables import PageTable
from indicators.network import people_per_agent

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


def _table(frame: pd.DataFrame, lang: str, header_keys: dict[str, str]) -> PageTable:
    headers = {column: i18n.translate(header_keys.get(column, HEADER_KEYS.get(column, "")), lang)
               for column in frame.columns}
    return PageTable(frame.reset_index(drop=True), headers, {c: TAGS[c] for c in frame.columns})


def _ratio(agents: object, agents_hidden: bool, people: object, people_hidden: bool) -> object:
    """One decimal as shown; "·" when a count it divides is protected; "–" when no agent was trained."""
    value = people_per_agent(agents, agents_hidden, people, people_hidden)
    if value is not None:
        return round(value, 1)
    return i18n.SUPPRESSED_MARK if agents_hidden or people_hidden or pd.isna(agents) or pd.isna(people) else NO_AGENT


def by_country(rows: pd.DataFrame, lang: str) -> PageTable:
    """Agents trained, people sensitized and people per agent on each side shown.

    rows: country, agents, agents_suppressed, people, people_suppressed (`indicators.network.side_by_side`).
    The ratio column mixes numbers with "·" and "–", so it is exported as written on the page.
    """
    frame = pd.DataFrame({
        "country_name": [i18n.translate(f"country.{c}", lang) for c in rows["country"]],
        "agents": _counts(rows["agents"], rows["agents_suppressed"]),
        "people": _counts(rows["people"], rows["people_suppressed"]),
        "ratio": pd.Series([_ratio(*cells) for cells in zip(rows["agents"], rows["agents_suppressed"],
                                                             rows["people"], rows["people_suppressed"])],
                           dtype="object"),
    })
    return _table(frame, lang, {"agents": "network.column.agents", "people": "network.column.people"})


def most_connected(ranking: pd.DataFrame, lang: str, top: int = 5) -> PageTable:
    """The `top` institutions with most partners: name and degree (`indicators.network.degree_ranking`)."""
    rows = ranking.head(top)
    frame = pd.DataFrame({"name": rows["name"].astype(str).to_list(),
                          "degree": pd.array(rows["degree"].to_list(), dtype="Int64")})
    return _table(frame, lang, {})


def institutions(nodes: pd.DataFrame, degrees: dict[str, int], lang: str) -> PageTable:
    """Every institution shown: name, type, country, agents trained, people sensitized, partners.

    nodes: institution_id, name, type, country, agents(_suppressed), people(_suppressed)
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
                                "people": "indicator.people_sensitized.label"})
