"""Sections of the Methods page: each one translates and lays out what `indicators.methods` generates."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

import i18n
import settings
from data_loaders.schemas import PROGRAMMES
from geo.units import BOUNDARY_LAYERS, REGION_LAYER
from indicators import methods
from indicators.age_groups import DEFAULT_BRACKET_SET
from indicators.filters import Filters
from indicators.registry import HEADLINE_INDICATORS, get_indicator
from indicators.reintegration import STAGES
from indicators.scope import ScopeLike
from store import cached
from ui import layout
from ui.language import current_language, date, number, share, t
from ui.maps import overview_breakdowns
from ui.tables import dataframe as table_view

SECTIONS = ("headlines", "indicators", "measures", "age_sets", "weights", "privacy", "data", "boundaries")
COUNTRY_ORDER = ("GTM", "BOL", "PER", "COL")


# --- cached reads ------------------------------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=8)
def _dataset_summaries(version: int) -> pd.DataFrame:
    with cached.cursor() as con:
        return methods.dataset_summaries(con)


@st.cache_data(show_spinner=False, max_entries=4)
def _boundary_sources(geo_dir: str) -> tuple[list[methods.BoundarySource], list[tuple[str, str | None]]]:
    folder = Path(geo_dir)
    return methods.boundary_sources(folder, BOUNDARY_LAYERS, REGION_LAYER), methods.licence_files(folder)


# --- helpers -----------------------------------------------------------------------------------------

def header(section: str) -> None:
    st.header(t(f"methods.section.{section}"), anchor=section, divider="gray")


def table_of_contents() -> None:
    st.markdown(f"**{t('methods.toc')}**\n\n" + "\n".join(
        f"{i}. [{t(f'methods.section.{s}')}](#{s})" for i, s in enumerate(SECTIONS, start=1)))


def _quote(text: str) -> str:
    return t("methods.quote", text=text)


def _count(value: object, kind: object = None) -> str:
    """A count, or the reading of its kind of hidden ('menos de 5', 'oculta', 'no publicada')."""
    return i18n.format_count(value, current_language(), kind)


def _programmes(codes: tuple[str, ...]) -> str:
    return ", ".join(t(f"programme.{p}") for p in codes) if codes else t("methods.programme.all")


def _datasets(tables: tuple[str, ...]) -> str:
    return ", ".join(f"{t(f'methods.dataset.{name}')} (`{name}`)" for name in tables)


def _outcomes(codes: tuple[str, ...]) -> str:
    return t("methods.rule.or").join(_quote(t(f"outcome.{o}")) for o in codes)


def _events_text(rule: methods.EventRule) -> str:
    if rule.tables == ("awareness_sessions",):
        return t("methods.rule.attendance")
    if rule.outcomes:
        return t("methods.rule.outcome", outcomes=_outcomes(rule.outcomes))
    if rule.component:
        return t("methods.rule.component", component=t(f"municipality.component.{rule.component}"))
    return t("methods.rule.overlap")


def _rule_text(method: methods.IndicatorMethod) -> str:
    """What counts, from the indicator's declaration: its events, programme scope and, for a share,
    its numerator's condition over its denominator."""
    text = _events_text(method.rule)
    if method.programmes:
        text = t("methods.rule.scope", rule=text, programmes=_programmes(method.programmes))
    if method.condition:
        text += "; " + t("methods.rule.share", condition=t(f"methods.condition.{method.condition}"),
                         base=t(method.base_label_key))
    return text


def _capitalised(text: str) -> str:
    """`text` with its first letter upper-cased (str.capitalize would lower-case the rest)."""
    return text[:1].upper() + text[1:]


def _caveat(key: str, method: methods.IndicatorMethod) -> str:
    groups = ", ".join(t(f"age_group.{g}") for g in methods.attendance_age_groups())
    return t(key, programmes=_programmes(method.programmes), groups=groups)


# --- where each headline figure comes from ---------------------------------------------------------

def _overview_headline(indicator_id: str, filters: Filters, scope: ScopeLike) -> pd.DataFrame:
    """The headline total exactly as pages/overview.py publishes it (people served with its breakdowns)."""
    if indicator_id != "people_served":
        return cached.indicator(indicator_id, filters, scope=scope)
    total, _ = cached.linked("people_served", filters, overview_breakdowns(scope), scope=scope)
    return total


def _breakdown_table(part: methods.Breakdown, prefix: str, total: object) -> None:
    labels = [t(f"{prefix}.{code}") for code, _ in part.rows] + [t("methods.headlines.total")]
    kinds = [*part.kinds, part.total_kind] if part.kinds else [None] * (len(part.rows) + 1)
    values = [_count(v, k) for (_, v), k in zip([*part.rows, ("total", total)], kinds)]
    table_view(pd.DataFrame({t("methods.headlines.column.part"): labels, t("methods.headlines.column.value"): values}),
                 hide_index=True, width="stretch")
    notes = []
    if part.adds_up and len(part.rows) > 1:
        notes.append(t("methods.headlines.adds_up", parts=" + ".join(_count(v) for _, v in part.rows), total=_count(total)))
    elif part.protected:
        hidden = [k for (_, v), k in zip([*part.rows, ("total", total)], kinds) if pd.isna(v)]
        notes.append(t("methods.headlines.protected",
                       legend=" ".join(i18n.hidden_legend(hidden, current_language()).splitlines())))
    if part.zeros_left_out:
        notes.append(t("methods.headlines.zero_rows"))
    if notes:
        st.caption(" ".join(notes))


def headline_sources(filters: Filters, scope: ScopeLike, territory: str) -> None:
    """For each overview headline: value, definition, data and filters, breakdown by country and programme."""
    period = f"{date(filters.start, 'medium')} – {date(filters.end, 'medium')}"
    st.markdown(t("methods.headlines.intro", period=period))

    def figures(indicator_id: str):
        by_programme = "programme" in get_indicator(indicator_id).disaggregations
        breakdowns = (("country",), ("programme",)) if by_programme else (("country",),)
        return methods.consistent_with_headline(_overview_headline(indicator_id, filters, scope),
                                                *cached.linked(indicator_id, filters, breakdowns, scope=scope))

    with cached.progress("methods.progress.headlines"):  # a few seconds on a cold cache
        answers = {indicator_id: figures(indicator_id) for indicator_id in HEADLINE_INDICATORS}
    for indicator_id, (total, parts) in answers.items():
        indicator = get_indicator(indicator_id)
        by_programme = "programme" in indicator.disaggregations
        value = total["value"].iloc[0]
        method = methods.indicator_method(indicator)
        with st.container(border=True):
            text, countries, programmes = st.columns([5, 3, 3])
            with text:
                layout.figure_metric(st, t(method.label_key), value, pd.isna(value),
                                     total["hidden"].iloc[0] if "hidden" in total else None, t(method.definition_key))
                st.caption(t(method.definition_key))
                lines = [(t("methods.headlines.datasets"), _datasets(method.rule.tables)),
                         (t("methods.headlines.event"), _rule_text(method)),
                         (t("methods.headlines.period"), period),
                         (t("methods.headlines.territory"), territory)]
                if by_programme:
                    lines.insert(1, (t("methods.headlines.programme"), _programmes(method.programmes)))
                st.markdown("\n".join(f"- **{label}**: {body}" for label, body in lines))
            with countries:
                st.markdown(f"**{t('methods.headlines.by_country')}**")
                _breakdown_table(methods.breakdown(total, parts[0], "country", COUNTRY_ORDER),
                                 "country", value)
            with programmes:
                st.markdown(f"**{t('methods.headlines.by_programme')}**")
                if not by_programme:
                    st.caption(t("methods.headlines.no_programme"))
                    continue
                _breakdown_table(methods.breakdown(total, parts[1], "programme", PROGRAMMES),
                                 "programme", value)


# --- indicators and page measures ------------------------------------------------------------------

def indicator_definitions() -> None:
    st.markdown(t("methods.indicators.intro"))
    for method in methods.indicator_methods():
        with st.expander(t(method.label_key)):
            fields = [
                ("definition", t(method.definition_key)),
                ("numerator", t(method.numerator_key)),
                ("denominator", t(method.denominator_key)),
                ("unit", t(method.unit_key)),
                ("disaggregations", ", ".join(t(f"methods.dimension.{d}") for d in method.disaggregations)),
                ("data", f"{_datasets(method.rule.tables)}. {_capitalised(_rule_text(method))}."),
            ]
            st.markdown("\n".join(f"- **{t(f'methods.field.{name}')}**: {body}" for name, body in fields))
            st.markdown(f"**{t('methods.field.caveats')}**\n\n" +
                        "\n".join(f"- {_caveat(key, method)}" for key in method.caveat_keys))


def page_measures() -> None:
    stages = " → ".join(t(f"reintegration.stage.{s}") for s in STAGES)
    outcomes = "; ".join(f"{t(f'reintegration.stage.{stage}')}: {_outcomes(codes)}"
                         for stage, codes in methods.outcome_stages())
    st.markdown("\n".join([
        "- " + t("methods.measures.funnel", stages=stages),
        "- " + t("methods.measures.outcomes", stages=outcomes),
        "- " + t("methods.measures.composite"),
        "- " + t("methods.measures.cascade", label=t("network.cascade.label"), definition=t("network.cascade.definition")),
    ]))


# --- age groups, weights, privacy ------------------------------------------------------------------

def age_sets() -> None:
    st.markdown(t("methods.age.intro", default=t(f"age_set.{DEFAULT_BRACKET_SET}")))
    lines = []
    for age_set in methods.age_sets():
        brackets = ", ".join(t(f"age_group.{code}") for code in age_set.brackets)
        youth = t(f"age_group.{age_set.youth_group}") if age_set.youth_group else t("methods.age.no_youth")
        lines.append(f"- **{t(age_set.label_key)}**: {brackets}. {t('methods.age.column.youth')}: {youth}. "
                     f"{t('methods.age.column.source')}: {t(age_set.source_key)}")
    st.markdown("\n".join(lines))
    st.caption(t("methods.age.attendance",
                 groups=", ".join(t(f"age_group.{g}") for g in methods.attendance_age_groups())))


def reintegration_weights() -> None:
    st.markdown(t("methods.weights.intro"))
    table_view(pd.DataFrame({
        t("methods.weights.column.dimension"): [t(f"reintegration.score.{d}") for d, _ in methods.reintegration_weights()],
        t("methods.weights.column.weight"): [share(w, decimals=0 if float(w * 100).is_integer() else 1)
                                             for _, w in methods.reintegration_weights()],
    }), hide_index=True)


def privacy_rules() -> None:
    rules = methods.privacy_rules()
    st.markdown("\n".join("- " + text for text in (
        t("methods.privacy.threshold", k=rules.threshold, k_minus_one=rules.threshold - 1, minimum=rules.minimum),
        t("methods.privacy.complementary"),
        t("methods.privacy.audit", margin=rules.margin),
        t("methods.privacy.rates"),
        t("methods.privacy.mark", legend=i18n.hidden_legend(i18n.HIDDEN_KINDS, current_language()).replace("\n", " ")),
        t("methods.privacy.scope"),
    )))
    level_offers()
    st.caption(t("methods.privacy.doc"))


def _dimension(name: str) -> str:
    """A breakdown's name in the reader's language ("age_group:un_youth": the age groups of that set)."""
    if name.startswith("age_group:"):
        return t("methods.offer.dimension.age_group", set=t(f"age_set.{name.split(':', 1)[1]}"))
    return t(f"methods.offer.dimension.{name}")


def level_offers() -> None:
    """What each territorial level publishes, by period (publication.family.GRANULARITY), and why."""
    st.markdown(t("methods.offer.intro"))

    def listed(dimensions) -> str:
        if dimensions is None:
            return t("methods.offer.none")
        return ", ".join([t("methods.offer.total"), *(_dimension(d) for d in dimensions)])

    # A list rather than a table: the lists of breakdowns are long and must wrap.
    st.markdown("\n".join(
        f"- **{t(f'methods.offer.level.{o.level}')}**: {t('methods.offer.column.reporting')}: {listed(o.reporting)}. "
        f"{t('methods.offer.column.year')}: {listed(o.by_year)}. {t('methods.offer.column.quarter')}: "
        f"{t('methods.offer.total') if o.quarters else t('methods.offer.none')}."
        for o in methods.level_offers()))
    st.markdown(t("methods.offer.reintegration"))  # publication.family.STAGE_GRANULARITY
    st.markdown(t("methods.offer.network"))  # publication.family.AGENT_GRANULARITY, ATTENDANCE_GRANULARITY
    st.caption(t("methods.offer.why"))


# --- data sources and boundaries -------------------------------------------------------------------

def _month(value) -> str:
    return "–" if value is None or pd.isna(value) else i18n.format_month(value, current_language())


def data_sources(scope: ScopeLike) -> None:
    summaries = _dataset_summaries(cached.current_data_version())
    st.markdown(t("methods.data.territorial" if scope.is_territorial else "methods.data.intro"))
    table = {
        t("methods.data.column.dataset"): [t(f"methods.dataset.{d}") for d in summaries["dataset"]],
        t("methods.data.column.records"): [number(n) for n in summaries["records"]],
        t("methods.data.column.coverage"): [f"{_month(a)} – {_month(b)}" if not pd.isna(a) else "–"
                                            for a, b in zip(summaries["first_month"], summaries["last_month"])],
        t("methods.data.column.last_import"): ["–" if d is None or pd.isna(d) else date(d, "medium")
                                               for d in summaries["last_import"]],
    }
    if scope.is_territorial:  # a municipal official sees their territory, not programme-wide totals
        del table[t("methods.data.column.records")]
    table_view(pd.DataFrame(table), hide_index=True, width="stretch")
    st.caption(t("methods.data.source"))


def _licences(ids: tuple[str, ...]) -> str:
    return ", ".join(t(f"methods.licence.{lid}") for lid in ids) or t("methods.boundaries.undocumented")


def attribution_text(source: methods.BoundarySource, lang: str) -> str:
    """The credit line SOURCES.md asks for, in `lang` from the catalogue (SOURCES.md writes each in one
    language); verbatim for a file the catalogue does not know."""
    key = f"methods.boundaries.attribution.{source.file.split('_')[0]}"  # one credit line per source: gtm, bol, …
    return i18n.translate(key, lang) if i18n.has_message(key, lang) else source.attribution


def boundaries() -> None:
    sources, licence_files = _boundary_sources(str(settings.geo_dir()))
    st.markdown(t("methods.boundaries.intro"))
    table_view(pd.DataFrame({
        t("methods.boundaries.column.file"): [s.file for s in sources],
        t("methods.boundaries.column.coverage"): [
            f"{t(f'country.{s.country}') if s.country else t('methods.boundaries.region')} – {t(f'methods.level.{s.level}')}"
            for s in sources],
        t("methods.boundaries.column.source"): [s.source or t("methods.boundaries.undocumented") for s in sources],
        t("methods.boundaries.column.licence"): [_licences(s.licences) for s in sources],
        t("methods.boundaries.column.licence_files"): [", ".join(s.licence_files) for s in sources],
    }), hide_index=True, width="stretch",
        column_config={t("methods.boundaries.column.licence_files"): st.column_config.TextColumn(width="large")})
    lang = current_language()
    attributions = list(dict.fromkeys(attribution_text(s, lang) for s in sources if s.attribution))
    st.markdown(f"**{t('methods.boundaries.column.attribution')}**\n\n" + "\n".join(f"- {a}" for a in attributions))
    gpl = [s.file for s in sources if "GPL-3.0" in s.licences]
    if gpl:
        st.caption(t("methods.boundaries.gpl", files=", ".join(gpl)))
    st.caption(t("methods.boundaries.licence_folder", files=", ".join(
        f"{name} ({_licences((lid,) if lid else ())})" for name, lid in licence_files)))
    st.caption(t("methods.boundaries.more"))


def territory_text(filters: Filters, scope: ScopeLike) -> str:
    """Where the figures are counted: all countries, or the official's municipalities by name."""
    if not scope.is_territorial:
        return t("methods.headlines.territory.all")
    from geo.units import territorial_units

    units = territorial_units()
    wanted = set(filters.municipalities or scope.municipalities)
    names = [row.name for row in units[units["level"] == "municipality"].itertuples() if (row.country, row.code) in wanted]
    return ", ".join(sorted(names))


def footer() -> None:
    layout.privacy_note()
    layout.source_footer()
