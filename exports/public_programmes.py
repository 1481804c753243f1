"""The Reintegration (MISKA outcomes) and Prevention network pages of the static public edition, as
`exports.public_pages.PublicPage`s: the same store reads, chart builders and sentences as pages/reintegration.py
and pages/prevention_network.py (through `ui.reintegration` / `ui.prevention`'s pure parts), for the presenter.
"""

from __future__ import annotations

import pandas as pd

import i18n
from charts import network as network_charts, reintegration as charts
from charts.overview import pyramid
from data_loaders.schemas import ATTENDANCE_AGE_GROUPS
from exports import network_tables
from exports.public_pages import PUBLIC_SCOPE, Block, Card, PublicPage, chart_block, default_filters, shown_count
from geo.units import territorial_units
from indicators import reintegration as definitions
from indicators import reintegration_views as views
from indicators.age_groups import DEFAULT_BRACKET_SET, age_group_codes
from indicators.filter_specs import PREVENTION_NETWORK, REINTEGRATION, SIDES
from indicators.network import cascade_ratio, degree_ranking, graph_layout, municipality_reach, network_metrics, \
    ratio_hidden, select_network, side_by_side
from indicators.reintegration import ReintegrationFigures
from store import network, reintegration
from ui import network_headlines, prevention
from ui.language import current_language, number, share, t
from ui.reintegration import DEFINITIONS


# --- reintegration ----------------------------------------------------------------------------------

def _stage_cards(figures: ReintegrationFigures) -> tuple[Card, ...]:
    """Participants, completed, employed and enterprise, with the share of participants (`ui.reintegration.headline`)."""
    cards = []
    for stage in ("enrolled", "completed", "employed", "enterprise"):
        value = figures.total(stage)
        rows = figures.funnel[figures.funnel["stage"] == stage]
        kind = rows["hidden"].iloc[0] if "hidden" in rows and len(rows) else None
        rate = figures.rate(stage)
        note = t("reintegration.metric.share", share=share(rate.value)) \
            if stage != "enrolled" and rate.value is not None else ""
        cards.append(Card(t(f"reintegration.metric.{stage}"), shown_count(value, pd.isna(value), kind),
                          " ".join(filter(None, [t(f"reintegration.definition.{stage}"), note]))))
    return tuple(cards)


def _withheld_sentence(figures: ReintegrationFigures, breakdown: str) -> str:
    if (figures.breakdowns[breakdown][f"{figures.withheld(breakdown)[0]}_hidden"] == i18n.NOT_OFFERED).all():
        return t("publication.not_offered")
    return t("reintegration.withheld", what=t(f"reintegration.breakdown.{breakdown}"))


def _sex_age_blocks(figures: ReintegrationFigures) -> list[Block]:
    lang, frame = current_language(), figures.breakdowns["sex_age"]
    filters = default_filters(REINTEGRATION)
    sexes, ages = charts.visible_groups(frame, definitions.categories(filters, "sex"),
                                        definitions.categories(filters, "age_group"))
    withheld = figures.withheld("sex_age")
    heading = Block(t("reintegration.sex_age.title"))
    if {"enrolled", "employed"} <= set(withheld):
        return [Block(t("reintegration.sex_age.title"), notes=(_withheld_sentence(figures, "sex_age"),))]
    matrix = Block(t("reintegration.sex_age.matrix"), notes=(_withheld_sentence(figures, "sex_age"),), level=3) \
        if "employed" in withheld else \
        Block(t("reintegration.sex_age.matrix"), views.highest_rate_sentence(frame, "sex_age", lang),
              figure=charts.sex_age_matrix(frame, sexes, ages, lang),
              notes=(charts.matrix_caption(frame, sexes, ages, lang),), level=3)
    people = frame.rename(columns={"enrolled": "value", "enrolled_hidden": "hidden"})[
        ["sex", "age_group", "value", "hidden"]]
    return [heading, matrix, Block(t("reintegration.sex_age.pyramid"), views.pyramid_sentence(frame, lang),
                                   figure=pyramid(people, ages, lang), level=3)]


def _group_block(figures: ReintegrationFigures, breakdown: str) -> Block:
    lang, frame = current_language(), figures.breakdowns[breakdown]
    heading = t(f"reintegration.groups.{breakdown}")
    if frame.empty:
        return Block(heading, notes=(t("reintegration.nobody"),), level=3)
    if set(definitions.MEASURES) <= set(figures.withheld(breakdown)):
        return Block(heading, notes=(_withheld_sentence(figures, breakdown),), level=3)
    if not charts.has_rates(frame):
        return Block(heading, notes=(t("reintegration.no_rates"),), level=3)
    return Block(heading, views.highest_rate_sentence(frame, breakdown, lang),
                 figure=charts.rate_bars(frame, breakdown, lang), level=3)


def _dimensions_block(figures: ReintegrationFigures) -> Block:
    lang, survey, weights = current_language(), figures.survey, figures.weights
    notes = [t("reintegration.dimensions.weights", economic=share(weights["economic"], 0),
               social=share(weights["social"], 0), psychosocial=share(weights["psychosocial"], 0))]
    if survey["composite_baseline"].notna().any():
        return Block(t("reintegration.dimensions.title"), views.scores_sentence(figures, lang),
                     figure=charts.dimensions(survey, lang), notes=(*notes, t("reintegration.dimensions.caption")))
    return Block(t("reintegration.dimensions.title"), notes=(*notes, t("reintegration.dimensions.none")))


def _territory_block(figures: ReintegrationFigures) -> Block:
    lang, frame = current_language(), figures.breakdowns["municipality"]
    if frame.empty:
        return Block(t("reintegration.territory.title"), notes=(t("reintegration.nobody"),))
    rows = views.ranked(views.with_names(frame, territorial_units()))
    return Block(t("reintegration.territory.title"), views.territory_sentence(rows, lang),
                 figure=charts.municipality_bars(rows, lang), notes=(charts.territory_caption(rows, lang),))


def reintegration_page() -> PublicPage:
    """pages/reintegration.py's outcomes: summary, stages, funnel, sex × age, groups, scores, territory."""
    filters = default_filters(REINTEGRATION)
    figures = reintegration.figures(filters, scope=PUBLIC_SCOPE)
    lang = current_language()
    params = {"k": figures.k, "k_minus": figures.k - 1, **{d: share(w, 0) for d, w in figures.weights.items()}}
    blocks = [
        Block(t("overview.headline"), views.summary_sentence(figures, lang), _stage_cards(figures),
              notes=(t("reintegration.scope", period=f"{filters.start.year}–{filters.end.year}"),)),
        Block(t("reintegration.funnel.title"), views.funnel_sentence(figures, lang),
              figure=charts.funnel(figures.funnel, lang), notes=(t("reintegration.funnel.caption"),)),
        *_sex_age_blocks(figures),
        Block(t("reintegration.groups.title"), notes=(t("reintegration.groups.caption"),)),
        _group_block(figures, "ethnicity"),
        _group_block(figures, "migration_profile"),
        _dimensions_block(figures),
        _territory_block(figures),
        Block(t("reintegration.definitions.title"),
              notes=("\n".join(f"- {t(f'reintegration.definitions.{item}', **params)}" for item in DEFINITIONS),)),
    ]
    return PublicPage("reintegration", t("reintegration.title"), t("reintegration.intro"), tuple(blocks))


# --- prevention network -----------------------------------------------------------------------------

def _ratio(value: float | None, hidden: str | None) -> str:
    """As the page's metric: one decimal; a hidden count's reading; '–' without agents."""
    if value is None:
        return "–" if hidden is None else i18n.hidden_mark(hidden, current_language())
    return number(value, 1)


def _reach_cards(agents: network.Reach, people: network.Reach) -> tuple[Card, ...]:
    hidden = ratio_hidden((agents.is_suppressed, agents.hidden), (people.is_suppressed, people.hidden))
    return (Card(t("indicator.agents_trained.label"), shown_count(agents.value, agents.is_suppressed, agents.hidden),
                 t("indicator.agents_trained.definition")),
            Card(t("indicator.people_sensitized.label"),
                 shown_count(people.value, people.is_suppressed, people.hidden),
                 f"{t('indicator.people_sensitized.definition')} {t('network.sensitized.caveat')}"),
            Card(t("network.cascade.label"), _ratio(cascade_ratio(people, agents), hidden),
                 t("network.cascade.definition")))


def _graph_block(nodes: pd.DataFrame, edges: pd.DataFrame) -> Block:
    lang, metrics = current_language(), network_metrics(nodes, edges)
    ranking = degree_ranking(nodes, edges, top=len(nodes))
    cards = (Card(t("network.metric.institutions"), number(metrics.institutions), t("network.metric.institutions.help")),
             Card(t("network.metric.ties"), number(metrics.ties), t("network.metric.ties.help")),
             Card(t("network.metric.cross_border"), number(metrics.cross_border_ties),
                  t("network.metric.cross_border.help")),
             Card(t("network.metric.density"), "–" if metrics.density is None else share(metrics.density),
                  t("network.metric.density.help")))
    if nodes.empty:
        return Block(t("network.graph.title"), cards=cards, notes=(t("network.graph.empty"),))
    figure = network_charts.network_graph(nodes, edges, graph_layout(nodes, edges),
                                          dict(zip(ranking["institution_id"], ranking["degree"])), lang)
    return Block(t("network.graph.title"), network_headlines.graph(ranking), cards, figure,
                 prevention.shown(network_tables.most_connected(ranking, lang)), (t("network.graph.caption"),))


def _reach_blocks(agents: network.Reach, people: network.Reach, filters) -> list[Block]:
    lang = current_language()
    rows = side_by_side(agents.breakdowns["country"], people.breakdowns["country"], ["country"])
    by_country = prevention.shown(network_tables.by_country(rows[rows["country"].isin(filters.countries or SIDES[1:])],
                                                            lang))
    units = municipality_reach(agents.breakdowns["municipality"], people.breakdowns["municipality"])
    both = pd.concat([agents.breakdowns["municipality"], people.breakdowns["municipality"]])
    agents_age, people_age = agents.breakdowns["sex_age"], people.breakdowns["sex_age"]
    topic, audience = people.breakdowns["topic"], people.breakdowns["audience"]
    return [
        Block(t("network.reach.title")),
        Block(t("network.reach.by_country"), table=by_country, notes=(t("network.cascade.definition"),), level=3),
        Block(t("network.reach.cumulative"), network_headlines.cumulative(agents.cumulative, people.cumulative),
              figure=network_charts.cumulative_chart(agents.cumulative, people.cumulative, lang),
              notes=(t("network.reach.cumulative.caption"),), level=3),
        Block(t("network.reach.by_municipality"), notes=(t("network.reach.none"),), level=3) if units.empty else
        chart_block(t("network.reach.by_municipality"), network_headlines.municipalities(units), both,
                    lambda: network_charts.municipality_bars(units, lang), level=3),
        chart_block(t("network.reach.agents_sex_age"), network_headlines.sex_age(agents_age, "age_group", "agents"),
                    agents_age, lambda: network_charts.sex_age_bars(agents_age, "age_group",
                                                                    age_group_codes(DEFAULT_BRACKET_SET), lang),
                    level=3),
        chart_block(t("network.reach.people_sex_age"),
                    network_headlines.sex_age(people_age, "attendance_age_group", "people"), people_age,
                    lambda: network_charts.sex_age_bars(people_age, "attendance_age_group",
                                                        list(ATTENDANCE_AGE_GROUPS), lang, "network.chart.attendances"),
                    (t("network.reach.attendance_ages"),), level=3),
        chart_block(t("network.reach.by_topic"), network_headlines.category(topic, "topic"), topic,
                    lambda: network_charts.category_bars(topic, "topic", lang), level=3),
        chart_block(t("network.reach.by_audience"), network_headlines.category(audience, "audience"), audience,
                    lambda: network_charts.category_bars(audience, "audience", lang, network_charts.PRIMARY),
                    level=3),
    ]


def network_page() -> PublicPage:
    """pages/prevention_network.py: reach, the network as a graph, reach by country, time, place and group."""
    filters = default_filters(PREVENTION_NETWORK)
    agents = network.reach("agents_trained", filters, scope=PUBLIC_SCOPE)
    people = network.reach("people_sensitized", filters, scope=PUBLIC_SCOPE)
    nodes, edges = select_network(network.institutions(), network.ties(), filters.countries)
    nodes = prevention.with_reach(nodes, agents, people)
    blocks = [Block(t("public.network.reach"),
                    network_headlines.reach(agents, people, prevention.period(filters)), _reach_cards(agents, people)),
              _graph_block(nodes, edges), *_reach_blocks(agents, people, filters),
              Block(t("network.definitions.title"), notes=(t("network.definitions.body"),))]
    return PublicPage("prevention_network", t("network.title"),
                      t("network.intro", start=filters.start.year, end=filters.end.year), tuple(blocks))
