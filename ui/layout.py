"""Small shared pieces of page layout: headline metrics, map legend, privacy note, source footer."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

import i18n
import settings
from charts.maps import LegendItem
from geo.units import territorial_units
from store import cached
from ui.language import date, number, t


def headline_metric(column, indicator_id: str, value: object, suppressed: bool, caption: str | None = None) -> None:
    """One headline figure as a metric: a protected value reads '–', never a number."""
    shown = i18n.SUPPRESSED_MARK if suppressed or pd.isna(value) else number(value)
    column.metric(t(f"indicator.{indicator_id}.label"), shown, help=t(f"indicator.{indicator_id}.definition"))
    if caption:
        column.caption(caption)


def map_legend(title: str, items: list[LegendItem]) -> None:
    """An HTML legend beside a pydeck map (pydeck has none)."""
    rows = []
    for item in items:
        swatch = (f"background:{item.colour};" if item.colour else "background:transparent;") + \
                 "border:1px solid #5c6670;display:inline-block;width:18px;height:12px;margin-right:6px;"
        rows.append(f'<div style="margin:2px 0"><span style="{swatch}"></span>{html.escape(item.label)}</div>')
    st.markdown(
        f'<div data-testid="map-legend" style="font-size:0.85rem"><strong>{html.escape(title)}</strong>{"".join(rows)}</div>',
        unsafe_allow_html=True,
    )


def scope_banner(scope, filters) -> None:
    """Tell a territorial user that what they see is limited to their municipalities."""
    if not scope.is_territorial:
        return
    units = territorial_units()
    wanted = set(filters.municipalities or scope.municipalities)
    names = [row.name for row in units[units["level"] == "municipality"].itertuples()
             if (row.country, row.code) in wanted]
    st.info(t("scope.banner", names=", ".join(sorted(names))))


def map_labels() -> dict[str, str]:
    """Translated texts of the map legend and tooltip states."""
    return {
        "zero": t("map.legend.zero"), "no_data": t("map.legend.no_data"),
        "suppressed": f"{i18n.SUPPRESSED_MARK} " + t("map.legend.suppressed"),
        "tooltip_no_data": t("map.tooltip.no_data"),
        "tooltip_suppressed": f"{i18n.SUPPRESSED_MARK} ({t('map.tooltip.suppressed')})",
    }


def privacy_note() -> None:
    st.caption(t("privacy.suppressed_note", mark=i18n.SUPPRESSED_MARK, k_minus_one=settings.suppression_threshold() - 1))


def withheld_note(frame) -> bool:
    """Say in one sentence that a breakdown is withheld as a whole (every value hidden); True if it is."""
    if len(frame) and bool(frame["suppressed"].all()):
        st.caption(t("publication.withheld"))
        return True
    return False


def data_date() -> str:
    """The date of the latest import, formatted: "data as of" on every view."""
    return date(cached.data_updated_on(cached.current_data_version()))


def source_footer() -> None:
    st.caption(t("source.footer", date=data_date(), attribution=t("source.attribution")))
