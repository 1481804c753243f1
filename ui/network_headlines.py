"""The headline sentence above each chart of the Prevention network page, in the session's language.

Built from published figures only (see indicators.headlines): a protected count is never said, and a
"largest" claim made while some cells are hidden says "among the published figures".
"""

from __future__ import annotations

import pandas as pd

from indicators.headlines import peak, share_of
from indicators.network import NetworkMetrics, Reach
from ui.headlines import quantity, sentence
from ui.language import date, number, share, t


def _count(noun: str, n: int) -> str:
    """'1 institución' / '40 instituciones' (noun: institutions, ties, cross_border)."""
    return t(f"network.count.{noun}.{'one' if n == 1 else 'other'}", n=number(n))


def _published(value: object, suppressed: bool) -> bool:
    return not suppressed and not pd.isna(value)


def reach(agents: Reach, people: Reach, period: str) -> str:
    """'More than 530 prevention agents trained and more than 1,500 attendances at awareness sessions in …'."""
    shown_agents, shown_people = (_published(r.value, r.is_suppressed) for r in (agents, people))
    if shown_agents and shown_people:
        return sentence(t("network.headline.reach", agents=quantity(int(agents.value)),
                          people=quantity(int(people.value)), period=period))
    if shown_people:
        return sentence(t("network.headline.reach.people_only", people=quantity(int(people.value)), period=period))
    if shown_agents:
        return sentence(t("network.headline.reach.agents_only", agents=quantity(int(agents.value)), period=period))
    return t("network.headline.reach.protected", period=period)


def network_map(metrics: NetworkMetrics, countries: list[str]) -> str:
    """Institutions on the map and the ties that cross the border (the network's public facts)."""
    if metrics.institutions == 0:
        return t("network.graph.empty")
    institutions = _count("institutions", metrics.institutions)
    if len(countries) > 1:
        return sentence(t("network.headline.map.both", institutions=institutions,
                          cross=_count("cross_border", metrics.cross_border_ties)))
    return sentence(t("network.headline.map.one", institutions=institutions, country=t(f"country.{countries[0]}"),
                      ties=_count("ties", metrics.ties)))


def close_up(nodes: pd.DataFrame, edges: pd.DataFrame, desaguadero: set[tuple[str, str]]) -> str:
    """How many institutions sit in the two Desaguadero units, on each side, and the ties across the bridge."""
    here = nodes[[(c, k) in desaguadero for c, k in zip(nodes["country"], nodes["municipality_code"])]]
    if here.empty:
        return t("network.map.close_up")
    sides = here["country"].value_counts()
    ids = set(here["institution_id"])
    cross = int(edges[edges["cross_border"] & edges["source_id"].isin(ids) & edges["target_id"].isin(ids)].shape[0])
    if len(sides) < 2:
        country = sides.index[0]
        return sentence(t("network.headline.close_up.one", institutions=_count("institutions", int(sides[country])),
                          country=t(f"country.{country}")))
    return sentence(t("network.headline.close_up", bolivia=_count("institutions", int(sides.get("BOL", 0))),
                      peru=number(int(sides.get("PER", 0))), cross=_count("cross_border", cross)))


def graph(ranking: pd.DataFrame) -> str:
    """The most connected institution (or how many share the first place)."""
    if ranking.empty or int(ranking["degree"].max()) == 0:
        return t("network.headline.graph.none")
    top = int(ranking["degree"].max())
    first = ranking[ranking["degree"] == top]
    if len(first) > 1:
        return sentence(t("network.headline.graph.tied", count=number(len(first)), partners=_count("institutions", top)))
    return sentence(t("network.headline.graph", name=first["name"].iloc[0], partners=_count("institutions", top)))


def _last(series: pd.DataFrame) -> tuple[object, object] | None:
    """(quarter, cumulative value) of the series' last quarter, if that value is published."""
    if series.empty or not _published(series["value"].iloc[-1], bool(series["suppressed"].iloc[-1])):
        return None
    return series["quarter"].iloc[-1], int(series["value"].iloc[-1])


def _quarter_end(quarter: object) -> object:
    return (pd.Timestamp(quarter) + pd.offsets.QuarterEnd(0)).date()


def cumulative(agents: pd.DataFrame, people: pd.DataFrame) -> str:
    """The totals the two lines reach at their last quarter (only a published last point is said)."""
    last_agents, last_people = _last(agents), _last(people)
    if last_agents and last_people:
        quarter = max(pd.Timestamp(last_agents[0]), pd.Timestamp(last_people[0]))
        return t("network.headline.cumulative", date=date(_quarter_end(quarter)), people=number(last_people[1]),
                 agents=number(last_agents[1]))
    if last_people:
        return t("network.headline.cumulative.people", date=date(_quarter_end(last_people[0])),
                 people=number(last_people[1]))
    if last_agents:
        return t("network.headline.cumulative.agents", date=date(_quarter_end(last_agents[0])),
                 agents=number(last_agents[1]))
    return t("network.reach.cumulative")


def municipalities(units: pd.DataFrame) -> str:
    """The municipality or district with most attendances among the published figures."""
    if units.empty:
        return t("network.reach.by_municipality")
    places = [f"{name} ({t(f'country.{c}')})" for name, c in zip(units["name"], units["country"])]
    top = peak(pd.DataFrame({"place": places, "value": units["people"], "suppressed": units["people_suppressed"]}),
               "place")
    if top is None:
        return t("network.reach.by_municipality")
    key = "network.headline.municipality.among_shown" if top.among_published else "network.headline.municipality"
    return sentence(t(key, place=top.category, n=number(top.value)))


def sex_age(frame: pd.DataFrame, age_column: str, who: str) -> str:
    """Women's share (all cells published) or else the largest published group. who: agents | people."""
    women = share_of(frame, "sex", "female")
    if women is not None:
        return t(f"network.headline.{who}.women", share=share(women, 0))
    cells = frame.assign(group=[f"{sex}|{age}" for sex, age in zip(frame["sex"], frame[age_column])])
    top = peak(cells, "group")
    if top is None:
        return t(f"network.reach.{who}_sex_age")
    sex, age = str(top.category).split("|")
    key = f"network.headline.{who}.group" + (".among_shown" if top.among_published else "")
    return t(key, group=t(f"headline.group.{sex}", age=t(f"age_group.{age}")), n=number(top.value))


def category(frame: pd.DataFrame, column: str) -> str:
    """The topic or audience with most attendances. column: topic | audience."""
    top = peak(frame, column)
    if top is None:
        return t(f"network.reach.by_{column}")
    key = f"network.headline.{column}" + (".among_shown" if top.among_published else "")
    return t(key, name=t(f"{column}.{top.category}"), n=number(top.value))
