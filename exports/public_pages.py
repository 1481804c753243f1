"""The pages of the static public edition as data: for each page, its title and blocks (heading, sentence,
headline figures, a Plotly figure, a table, notes), in an explicit language, as the presenter sees them.

Nothing is computed here: every figure is the publication layer's, read through the store calls the pages
make (`store.cached.linked` with the overview's breakdowns, `ui.territorial_map.view_values`,
`store.reintegration.figures`, `store.network.reach`) for `PUBLIC_SCOPE`, a presenter; every chart is the
builder the page uses (`charts.*`, the maps' static figures) and every sentence the page's own
(`ui.headlines`, `ui.network_headlines`, `indicators.reintegration_views`), spoken in the page's language
through `ui.language.speaking`. `exports.public_site` writes them as HTML; `exports.public_programmes`
holds the Reintegration and Prevention network pages.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

import i18n
import settings
from auth.roles import Role, Scope
from charts import overview as overview_charts
from data_loaders.schemas import COUNTRIES, MIGRATION_PROFILES
from indicators import map_views, methods
from indicators.age_groups import age_group_codes
from indicators.filter_specs import PageFilters
from indicators.filters import Filters, default_period
from indicators.registry import HEADLINE_INDICATORS
from store import cached
from ui import headlines, layout
from ui import territorial_map as tmap
from ui.filters import options
from ui.language import current_language, date, number, t
from ui.maps import map_extent, overview_breakdowns, people_served_views

# Who the public edition shows figures as: the presenter role sees every public page, the whole region.
PUBLIC_SCOPE = Scope(username="public_edition", role=Role.PRESENTER)
PAGES = ("overview", "territorial_map", "reintegration", "prevention_network", "methods")


@dataclass(frozen=True)
class Card:
    """A headline figure: its label, its value as the page shows it (a hidden one as its reading), a note."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Block:
    """One piece of a page, top to bottom: heading, sentence, cards, figure (or the sentence that replaces
    it), table (shown text), notes (markdown)."""

    heading: str = ""
    sentence: str = ""
    cards: tuple[Card, ...] = ()
    figure: go.Figure | None = None
    table: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()
    level: int = 2  # 2: a section, 3: a part of one


@dataclass(frozen=True)
class PublicPage:
    key: str  # one of PAGES, the file's name
    title: str
    intro: str
    blocks: tuple[Block, ...]


def default_filters(page: PageFilters) -> Filters:
    """A page's filters before anyone touches the sidebar (as `ui.filters.sidebar` draws its widgets)."""
    chosen: dict[str, object] = {}
    for spec in page.specs():
        if spec.widget == "period":
            start, end = default_period()
            chosen[spec.name] = (start.year, end.year)
        elif spec.widget in ("select", "radio"):
            offered = options(spec, PUBLIC_SCOPE)[0]
            chosen[spec.name] = spec.default if spec.default else offered[0]
        else:
            chosen[spec.name] = ()
    return Filters(**page.filter_values(chosen))


def shown_count(value: object, suppressed: bool, hidden: object = None) -> str:
    """A count as a metric shows it (`ui.layout.figure_metric`): the number, or the reading of its kind of
    hidden ('menos de 5' …)."""
    if suppressed or pd.isna(value):
        return i18n.hidden_mark(hidden, current_language())
    return number(value)


def chart_block(heading: str, sentence: str, frame: pd.DataFrame, draw, notes: tuple[str, ...] = (),
                level: int = 2) -> Block:
    """A chart with its sentence, or the withheld sentence instead when the breakdown is withheld whole."""
    withheld = layout.withheld_text(frame)
    if withheld:
        return Block(heading, notes=(withheld,), level=level)
    return Block(heading, sentence, figure=draw(), notes=notes, level=level)


def period_text(filters: Filters) -> str:
    first, last = filters.start.year, filters.end.year
    return str(first) if first == last else f"{first}–{last}"


# --- overview ---------------------------------------------------------------------------------------

def overview_page() -> PublicPage:
    """pages/overview.py for a presenter: headline figures, who is reached, trend, map (no territorial places)."""
    from indicators.filter_specs import OVERVIEW

    lang, scope = current_language(), PUBLIC_SCOPE
    filters = default_filters(OVERVIEW)
    period = f"{date(filters.start, 'medium')} – {date(filters.end, 'medium')}"
    years = period_text(filters)
    served, (by_profile, pyramid, by_unit, trend) = cached.linked("people_served", filters,
                                                                  overview_breakdowns(scope), scope=scope)
    cards = []
    for indicator_id in HEADLINE_INDICATORS:
        figure = (served if indicator_id == "people_served" else cached.indicator(indicator_id, filters,
                                                                                    scope=scope)).iloc[0]
        note = t("overview.sensitized.caveat") if indicator_id == "people_sensitized" else ""
        cards.append(Card(t(f"indicator.{indicator_id}.label"),
                          shown_count(figure["value"], bool(figure["suppressed"]), figure.get("hidden")),
                          " ".join(filter(None, [t(f"indicator.{indicator_id}.definition"), note]))))
    countries = [c for c in COUNTRIES if c in set(by_profile["country"])]
    level = map_extent(scope)[1]
    map_title = t("overview.map")
    blocks = [
        Block(t("overview.headline"), headlines.people_served(served["value"].iloc[0],
                                                              bool(served["suppressed"].iloc[0]), years), tuple(cards)),
        chart_block(t("overview.by_country_profile"), headlines.country_profile(by_profile), by_profile,
                    lambda: overview_charts.country_profile_bars(by_profile, countries, list(MIGRATION_PROFILES),
                                                                 lang)),
        chart_block(t("overview.pyramid"), headlines.pyramid(pyramid), pyramid,
                    lambda: overview_charts.pyramid(pyramid, age_group_codes(filters.bracket_set), lang)),
        chart_block(t("overview.trend"), headlines.trend(trend), trend,
                    lambda: overview_charts.quarterly_trend(trend, lang), (t("overview.trend.note"),)),
    ]
    if by_unit.empty:
        blocks.append(Block(map_title, notes=(t("map.empty"),)))
    else:
        figure = people_served_views(by_unit, scope)[2]()  # built on demand; untitled: the heading says it
        withheld = layout.withheld_text(by_unit)
        blocks.append(Block(map_title, headlines.map_units(by_unit, level), figure=figure,
                            notes=(withheld,) if withheld else ()))
    return PublicPage("overview", t("overview.title"), t("overview.intro", period=period), tuple(blocks))


# --- territorial map --------------------------------------------------------------------------------

def territorial_map_block(indicator_id: str, filters: Filters) -> Block:
    """One indicator by department across the region: the page's map (static figure), sentence and table."""
    view = map_views.MapView(indicator=indicator_id)
    units, _ = tmap.view_values(view, filters, PUBLIC_SCOPE)
    heading = tmap.view_title(view)
    if units.empty:
        return Block(heading, notes=(tmap.empty_sentence(view),))
    figure = tmap.build_deck(view, units)[2]()  # the static figure, built on demand
    figure.update_layout(title=None)  # the heading above says it
    sentence = headlines.map_indicator(units, indicator_id, view.map_level, tmap.formatter(indicator_id)) or ""
    headers = tmap.table_headers(indicator_id)
    share = map_views.is_share(indicator_id)
    table = tmap.shown_table(map_views.table_frame(units, share), headers, share)
    legend = i18n.hidden_legend(layout.hidden_kinds_of(units), current_language())
    return Block(heading, sentence, figure=figure, table=table,
                 notes=tuple(filter(None, [t("tmap.table.note"), legend.replace("\n", "  \n")])))


def territorial_map_page() -> PublicPage:
    from indicators.filter_specs import TERRITORIAL_MAP

    filters = default_filters(TERRITORIAL_MAP)
    blocks = tuple(territorial_map_block(i, filters) for i in map_views.territorial_indicators())
    return PublicPage("territorial_map", t("tmap.title"), t("public.tmap.intro"), blocks)


# --- methods ----------------------------------------------------------------------------------------

def _indicator_notes() -> tuple[str, ...]:
    """Each indicator's definition, numerator, denominator and unit, from its declaration."""
    notes = []
    for method in methods.indicator_methods():
        fields = [(name, t(key)) for name, key in (("definition", method.definition_key),
                                                   ("numerator", method.numerator_key),
                                                   ("denominator", method.denominator_key),
                                                   ("unit", method.unit_key))]
        notes.append(f"**{t(method.label_key)}**\n\n" +
                     "\n".join(f"- {t(f'methods.field.{name}')}: {body}" for name, body in fields))
    return tuple(notes)


def _privacy_notes() -> tuple[str, ...]:
    rules = methods.privacy_rules()
    return ("\n".join("- " + text for text in (
        t("methods.privacy.threshold", k=rules.threshold, k_minus_one=rules.threshold - 1, minimum=rules.minimum),
        t("methods.privacy.complementary"),
        t("methods.privacy.rates"),
        t("methods.privacy.mark", legend=i18n.hidden_legend(i18n.HIDDEN_KINDS, current_language()).replace("\n", " ")),
    )),)


def _source_notes() -> tuple[str, ...]:
    from pathlib import Path

    from geo.units import BOUNDARY_LAYERS, REGION_LAYER
    from ui.methods import attribution_text

    sources = methods.boundary_sources(Path(settings.geo_dir()), BOUNDARY_LAYERS, REGION_LAYER)
    attributions = list(dict.fromkeys(attribution_text(s, current_language()) for s in sources if s.attribution))
    return (t("methods.data.source"), t("source.attribution"),
            f"**{t('methods.boundaries.column.attribution')}**\n\n" + "\n".join(f"- {a}" for a in attributions))


def methods_page() -> PublicPage:
    """The Methods text the public needs: definitions, the privacy rule, sources and boundaries' credits."""
    return PublicPage("methods", t("methods.title"), t("public.methods.intro"), (
        Block(t("methods.section.indicators"), notes=_indicator_notes()),
        Block(t("methods.section.privacy"), notes=_privacy_notes()),
        Block(t("methods.section.data"), notes=_source_notes()),
    ))
