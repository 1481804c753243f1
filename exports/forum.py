"""The forum deck's views (headline figures, MISKA outcomes by sex and age, prevention reach, territorial map)
assembled from published figures, in an explicit language; and the PPTX deck and PDF brief made from them.

Each view is a title, one headline sentence, a Plotly figure and the notes (definitions, source, data
date). Figures come only from the protected store reads the pages use (`store.cached.linked` with the
overview's breakdowns, `store.reintegration.figures`, `store.network.reach`), so every number equals
the one on its page. The language is a parameter (never the session's): the files are made on click,
outside the script run.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

import geo.payload as payload
import i18n
from charts import maps, network as network_charts, reintegration as reintegration_charts
from charts.forum import BigNumber, big_numbers
from charts.static_maps import choropleth_figure
from data_loaders.schemas import COUNTRIES, PROGRAMMES
from exports import images
from exports.brief import BriefSection, HeadlineFigure, build_brief
from exports.deck import SlideSpec, build_deck
from indicators import reintegration as reintegration_definitions
from indicators.reintegration_views import summary_sentence as reintegration_sentence
from indicators.filters import Filters
from indicators.headlines import peak, reported_quantity
from indicators.registry import HEADLINE_INDICATORS
from indicators.scope import ScopeLike
from indicators.territory import with_unit_names
from store import cached, network, reintegration
from ui.maps import map_extent, overview_breakdowns

VIEWS = ("headlines", "reintegration", "network", "map")
MISKA, NETWORK = "miska_reintegration", "prevention_network"
# The overview publishes people served with these breakdowns; the forum reuses the same protected set.
MAP_LEVEL_INDEX = 2  # the map's units in ui.maps.overview_breakdowns
BRIEF_IMAGE = (960, 500)  # CSS px of the brief's chart images (x2 for print)
# Static export does not grow margins to fit tick labels (no automargin pass in kaleido): set them.
IMAGE_MARGINS = {"reintegration": dict(l=130, r=20, t=50, b=95), "network": dict(l=115, r=30, t=40, b=105)}
MAP_HEIGHT = 540  # px on the page (the region is tall: Guatemala to Bolivia)
LABEL_WIDTH = 26  # characters per line of a big number's label (three columns)
BIG_NUMBERS_FACTOR = 1.15  # the big numbers are big already; labels of 26 characters still fit a third


@dataclass(frozen=True)
class ForumView:
    """One screen of the deck, one slide, one section of the brief."""

    key: str  # one of VIEWS
    title: str
    headline: str
    figure: go.Figure
    notes: str  # definitions, source and data date, for the speaker notes
    caption: str = ""  # how to read the chart, under it on the page


@dataclass(frozen=True)
class Forum:
    """The views under one set of filters, with what the files need around them."""

    lang: str
    filters: Filters
    period: str  # "2023–2024"
    data_date: str
    source: str  # "Data as of … · Source: …", under each view and on every slide
    views: tuple[ForumView, ...]
    headline_figures: tuple[HeadlineFigure, ...]


def _t(key: str, lang: str, **params: object) -> str:
    return i18n.translate(key, lang, **params)


def period_text(filters: Filters) -> str:
    first, last = filters.start.year, filters.end.year
    return str(first) if first == last else f"{first}–{last}"


def year_filters(first: int, last: int) -> Filters:
    """The deck's filters: whole years, everything else as the pages' defaults."""
    return Filters(start=dt.date(first, 1, 1), end=dt.date(last, 12, 31))


def _wrapped(label: str) -> str:
    """A big number's label on lines of at most LABEL_WIDTH characters (plotly does not wrap annotations)."""
    return "<br>".join(textwrap.wrap(label, LABEL_WIDTH)) or label


def _count(value: object, suppressed: bool, lang: str, hidden: str | None = None) -> str:
    """A headline count, or the reading of its kind of hidden ('menos de 5' …)."""
    return i18n.hidden_mark(hidden, lang) if suppressed or pd.isna(value) else i18n.format_number(int(value), lang)


def quantity(count: int, lang: str) -> str:
    """"más de 1.400" / "1.400" (as `ui.headlines.quantity`, in `lang`)."""
    amount = reported_quantity(count)
    shown = i18n.format_number(amount.value, lang)
    return _t("headline.more_than", lang, n=shown) if amount.more_than else shown


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _definitions(lang: str, indicator_ids: tuple[str, ...], extra: tuple[str, ...] = ()) -> str:
    lines = [f"• {_t(f'indicator.{i}.label', lang)}: {_t(f'indicator.{i}.definition', lang)}" for i in indicator_ids]
    return "\n".join([_t("forum.notes.definitions", lang), *lines, *extra])


def _notes(definitions: str, lang: str, data_date: str) -> str:
    source = _t("source.footer", lang, date=data_date, attribution=_t("source.attribution", lang))
    privacy = i18n.hidden_note(lang)
    return "\n\n".join([definitions, source, privacy])


# --- the four views ---------------------------------------------------------------------------------

def _served(filters: Filters, scope: ScopeLike) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """(total, by map unit, level) of people served, protected with the overview's other breakdowns."""
    level = map_extent(scope)[1]
    total, parts = cached.linked("people_served", filters, overview_breakdowns(scope), scope=scope)
    return total, parts[MAP_LEVEL_INDEX], level


def headline_rows(filters: Filters, scope: ScopeLike) -> list[tuple[str, object, bool, str | None]]:
    """(indicator, value, suppressed) of the six headline figures, people served as the overview publishes it."""
    total = _served(filters, scope)[0]
    rows = []
    for indicator_id in HEADLINE_INDICATORS:
        frame = total if indicator_id == "people_served" else cached.indicator(indicator_id, filters, scope=scope)
        rows.append((indicator_id, frame["value"].iloc[0], bool(frame["suppressed"].iloc[0]),
                     frame["hidden"].iloc[0] if "hidden" in frame else None))
    return rows


def served_sentence(value: object, suppressed: bool, period: str, lang: str) -> str:
    if suppressed or pd.isna(value):
        return _t("headline.served.protected", lang, period=period)
    return _sentence(_t("headline.served", lang, quantity=quantity(int(value), lang), period=period))


def headlines_view(filters: Filters, scope: ScopeLike, lang: str, data_date: str) -> ForumView:
    rows = headline_rows(filters, scope)
    numbers = [BigNumber(_count(v, s, lang, h), _wrapped(_t(f"indicator.{i}.label", lang)),
                         _t("forum.note.indirect", lang) if i == "people_sensitized" else "") for i, v, s, h in rows]
    served = rows[0]
    return ForumView("headlines", _t("forum.view.headlines", lang, period=period_text(filters)),
                     served_sentence(served[1], served[2], period_text(filters), lang), big_numbers(numbers),
                     _notes(_definitions(lang, HEADLINE_INDICATORS), lang, data_date),
                     _t("forum.caption.headlines", lang))


def reintegration_view(filters: Filters, scope: ScopeLike, lang: str, data_date: str) -> ForumView:
    miska = filters.with_(programmes=(MISKA,))
    figures = reintegration.figures(miska, scope=scope)
    frame = figures.breakdowns["sex_age"]
    if "employed" in figures.withheld("sex_age"):  # the breakdown would expose the totals: the funnel instead
        figure, caption = reintegration_charts.funnel(figures.funnel, lang), _t("forum.caption.withheld", lang)
    else:
        sexes, ages = reintegration_charts.visible_groups(
            frame, reintegration_definitions.categories(miska, "sex"),
            reintegration_definitions.categories(miska, "age_group"))
        figure = reintegration_charts.sex_age_matrix(frame, sexes, ages, lang)
        caption = reintegration_charts.matrix_caption(frame, sexes, ages, lang)
    rates = _t("reintegration.definitions.rates", lang).replace("**", "")
    definitions = _definitions(lang, ("miska_participants", "miska_employed", "miska_enterprises"), (f"• {rates}",))
    return ForumView("reintegration", _t("forum.view.reintegration", lang),
                     reintegration_sentence(figures, lang), figure,
                     _notes(definitions, lang, data_date), caption)


def network_sentence(agents: network.Reach, people: network.Reach, period: str, lang: str) -> str:
    """As `ui.network_headlines.reach` (same messages), in `lang`: a protected count is never said."""
    shown = [not r.is_suppressed and not pd.isna(r.value) for r in (agents, people)]
    counts = {"agents": quantity(int(agents.value), lang) if shown[0] else None,
              "people": quantity(int(people.value), lang) if shown[1] else None}
    if all(shown):
        return _sentence(_t("network.headline.reach", lang, period=period, **counts))
    if shown[1]:
        return _sentence(_t("network.headline.reach.people_only", lang, people=counts["people"], period=period))
    if shown[0]:
        return _sentence(_t("network.headline.reach.agents_only", lang, agents=counts["agents"], period=period))
    return _t("network.headline.reach.protected", lang, period=period)


def network_view(filters: Filters, scope: ScopeLike, lang: str, data_date: str) -> ForumView:
    prevention = filters.with_(programmes=(NETWORK,))
    agents = network.reach("agents_trained", prevention, scope=scope)
    people = network.reach("people_sensitized", prevention, scope=scope)
    figure = network_charts.cumulative_chart(agents.cumulative, people.cumulative, lang)
    return ForumView("network", _t("forum.view.network", lang),
                     network_sentence(agents, people, period_text(filters), lang), figure,
                     _notes(_definitions(lang, ("agents_trained", "people_sensitized")), lang, data_date),
                     _t("forum.caption.network", lang))


def map_sentence(frame: pd.DataFrame, level: str, lang: str) -> str:
    """As `ui.headlines.map_units`, in `lang`: the unit with most people served among those published."""
    named = with_unit_names(frame, level)
    top = peak(named.assign(place=named["name"]), "place")
    if top is None:
        return _t(f"forum.view.map.{level}", lang)
    key = "headline.map.among_shown" if top.among_published else "headline.map"
    return _t(f"{key}.{level}", lang, name=top.category, n=i18n.format_number(top.value, lang))


def map_figure(frame: pd.DataFrame, scope: ScopeLike, lang: str) -> go.Figure:
    """People served by unit as a static choropleth (as `ui.maps.people_served_views`, in `lang`)."""
    country, level, codes = map_extent(scope)
    values = with_unit_names(frame, level)
    labels = maps.map_text_labels(lang)
    number = lambda v: i18n.format_number(v, lang)  # noqa: E731
    classes = maps.classify(values["value"], number, labels)
    units = payload.map_geojson(country, level)
    if codes is not None:
        units = {"type": "FeatureCollection",
                 "features": [f for f in units["features"] if f["properties"]["code"] in set(codes)]}
    features = maps.coloured_features(units, values, classes.breaks, labels, number)
    return choropleth_figure(features, payload.region_outline_geojson(), classes.legend, _t("map.legend.title", lang))


def map_view(filters: Filters, scope: ScopeLike, lang: str, data_date: str) -> ForumView:
    _, by_unit, level = _served(filters, scope)
    figure = map_figure(by_unit, scope, lang)
    figure.update_layout(height=MAP_HEIGHT)
    return ForumView("map", _t(f"forum.view.map.{level}", lang), map_sentence(by_unit, level, lang), figure, _notes(_definitions(lang, ("people_served",)), lang, data_date),
                     _t("forum.caption.map", lang, marks=", ".join(i18n.hidden_mark(k, lang) for k in i18n.HIDDEN_KINDS)))


# --- all of them ------------------------------------------------------------------------------------

def covers(filters: Filters, programme: str, countries: tuple[str, ...]) -> bool:
    """Whether the filters leave anything of a programme (its programme and one of its countries chosen)."""
    return (not filters.programmes or programme in filters.programmes) and \
        (not filters.countries or bool(set(filters.countries) & set(countries)))


def wanted_views(filters: Filters, views: tuple[str, ...] = VIEWS) -> list[str]:
    """The views of `views` the filters leave, in VIEWS order (the programme views need their countries)."""
    return [key for key in VIEWS if key in views
            and (key != "reintegration" or covers(filters, MISKA, ("GTM",)))
            and (key != "network" or covers(filters, NETWORK, ("BOL", "PER")))]


def build_forum(filters: Filters, scope: ScopeLike, lang: str, views: tuple[str, ...] = VIEWS) -> Forum:
    """The views (in VIEWS order, those asked for and that the filters leave) with their headline figures."""
    lang = i18n.normalise_language(lang)
    data_date = i18n.format_date(cached.data_updated_on(cached.current_data_version()), lang)
    builders = {"headlines": headlines_view, "reintegration": reintegration_view, "network": network_view,
                "map": map_view}
    wanted = wanted_views(filters, views)
    built = tuple(builders[key](filters, scope, lang, data_date) for key in wanted)
    figures = tuple(HeadlineFigure(_t(f"indicator.{i}.label", lang), _count(v, s, lang, h),
                                   _t(f"indicator.{i}.definition", lang)) for i, v, s, h in headline_rows(filters, scope))
    return Forum(lang, filters, period_text(filters), data_date, _t("presentation.source", lang, date=data_date),
                 built, figures)


# --- files ------------------------------------------------------------------------------------------

def deck_title(forum: Forum) -> str:
    return _t("forum.deck.title", forum.lang, period=forum.period)


def image_figure(view: ForumView, factor: float = 1.4) -> go.Figure:
    """The view's figure for an image: text `factor` times larger (images.for_slides), margins set."""
    figure = images.for_slides(view.figure, min(factor, BIG_NUMBERS_FACTOR) if view.key == "headlines" else factor)
    if view.key in IMAGE_MARGINS:
        figure.update_layout(margin=IMAGE_MARGINS[view.key])
    return figure


def deck_bytes(forum: Forum) -> bytes:
    """The PPTX: title slide, then one slide per view (chart image for slides, sentence, notes)."""
    slides = [SlideSpec(view.title, view.headline, images.figure_png(image_figure(view)), view.notes)
              for view in forum.views]
    subtitle = _t("forum.deck.subtitle", forum.lang, date=forum.data_date)
    return build_deck(deck_title(forum), subtitle, slides, forum.lang, forum.source)


def filters_summary(forum: Forum) -> str:
    """The brief's filters in one sentence: period, then any country, programme, sex or age group chosen."""
    lang, filters = forum.lang, forum.filters
    parts = [_t("forum.brief.period", lang, period=forum.period)]
    for label, prefix, chosen, order in (("filters.country", "country", filters.countries, COUNTRIES),
                                         ("filters.programme", "programme", filters.programmes, PROGRAMMES),
                                         ("filters.sex", "sex", filters.sexes, None),
                                         ("filters.age_group", "age_group", filters.age_groups, None)):
        if chosen:
            names = [_t(f"{prefix}.{c}", lang) for c in (sorted(chosen, key=order.index) if order else chosen)]
            parts.append(f"{_t(label, lang)}: {', '.join(names)}")
    if not (filters.countries or filters.programmes or filters.sexes or filters.age_groups):
        parts.append(_t("forum.brief.everything", lang))
    return " · ".join(parts) + ". " + _t("forum.brief.data_date", lang, date=forum.data_date)


def _with_caption(view: ForumView) -> str:
    """The headline sentence, then how to read the chart (the brief has no caption line of its own)."""
    if not view.caption:
        return view.headline
    end = "" if view.headline.endswith((".", ")")) else "."
    return f"{view.headline}{end} {view.caption}"


def brief_bytes(forum: Forum) -> bytes:
    """The PDF brief: headline figures with definitions, then each view (the headline view without its
    image, its figures being the cards above)."""
    sections = [BriefSection(view.title, _with_caption(view),
                             None if view.key == "headlines" else
                             images.figure_png(image_figure(view, 1.25), *BRIEF_IMAGE))
                for view in forum.views]
    source = _t("source.footer", forum.lang, date=forum.data_date,
                attribution=_t("source.attribution", forum.lang))
    return build_brief(_t("forum.brief.title", forum.lang, period=forum.period), filters_summary(forum),
                       forum.headline_figures, sections, forum.lang, source)
