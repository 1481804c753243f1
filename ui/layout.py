"""Small shared pieces of page layout: headline metrics, map legend, privacy note, source footer."""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st

import i18n
from charts.maps import LegendItem, map_text_labels
from charts.style import CAPTION_COLOUR, CODE_COLOUR
from geo.units import territorial_units
from publication.published import NOT_OFFERED
from store import cached
from ui import presentation, responsive
from ui.language import current_language, date, number, t


def page_style(lang: str) -> str:
    """Every page's own style sheet: readable captions, the skip link in `lang`, the phone layout."""
    return _ACCESSIBLE_STYLE + _NO_RAW_TABLE_DOWNLOAD + chrome_text_style(lang) + responsive.PHONE_STYLE


# A table's own "Download as CSV" writes the numbers under the shown text: hidden cells as their sort key
# (charts.tables.UNPUBLISHED_SORT_KEY), not as 'menos de 5'. Each table has the page's protected downloads.
_NO_RAW_TABLE_DOWNLOAD = ('<style>[data-testid="stElementToolbar"] [data-testid="stTooltipHoverTarget"]'
                          ':has(button[aria-label="Download as CSV"]) { display: none !important; }</style>')


# Streamlit fades captions with opacity 0.6 over the text colour and greys inline code: 4.0:1 and 3.0:1,
# below WCAG AA's 4.5:1. Undo the fade and use greys that pass.
_ACCESSIBLE_STYLE = (
    f'<style>[data-testid="stCaptionContainer"] {{ opacity: 1 !important; color: {CAPTION_COLOUR} !important; }}'
    f' [data-testid="stCaptionContainer"] code, [data-testid="stMarkdownContainer"] code'
    f' {{ color: {CODE_COLOUR} !important; }}</style>'
)


def headline_metric(column, indicator_id: str, value: object, suppressed: bool, caption: str | None = None,
                    hidden: str | None = None) -> None:
    """One headline figure as a metric: a hidden value reads as its kind ('menos de 5' …), never a number,
    and the metric's help (the ? icon) says why after the definition."""
    figure_metric(column, t(f"indicator.{indicator_id}.label"), value, suppressed or pd.isna(value), hidden,
                  t(f"indicator.{indicator_id}.definition"))
    if caption:
        column.caption(caption)


def figure_metric(column, label: str, value: object, suppressed: bool, hidden: str | None, definition: str) -> None:
    """A count as a metric: the number, or the reading of its kind of hidden with the reason before the
    definition in the metric's help."""
    if suppressed:
        lang = current_language()
        shown, why = i18n.hidden_mark(hidden, lang), i18n.hidden_reason(hidden, lang)
        column.metric(label, shown, help=f"{why}\n\n{definition}")
    else:
        column.metric(label, number(value), help=definition)


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
    """Translated texts of the map legend and tooltip states (`charts.maps.map_labels`)."""
    return map_text_labels(current_language())


def privacy_note() -> None:
    """The sentence under a view that says how each kind of hidden figure reads."""
    st.caption(i18n.hidden_note(current_language()))


def hidden_caption(*frames: pd.DataFrame) -> None:
    """Under a table or a map: one line per kind of hidden figure it shows («mark»: why); nothing if none."""
    hidden_legend([kind for frame in frames for kind in hidden_kinds_of(frame)])


def hidden_kinds_of(frame: pd.DataFrame) -> list:
    """The kind of each hidden row of a published frame (None where the frame does not say)."""
    if "suppressed" not in frame:
        return []
    hidden = frame["suppressed"].astype(bool).to_list()
    kinds = frame["hidden"].to_list() if "hidden" in frame else [None] * len(frame)
    return [kind for kind, h in zip(kinds, hidden) if h]


def hidden_legend(kinds: list) -> None:
    """One caption line per kind of hidden figure in `kinds` («mark»: why); nothing when there is none."""
    legend = i18n.hidden_legend(kinds, current_language())
    if legend:
        st.caption(legend.replace("\n", "  \n"))


def withheld_text(frame) -> str | None:
    """The sentence saying a breakdown is withheld as a whole (every value hidden), or not offered with
    these filters at all (publication.published.NOT_OFFERED); None if it is shown."""
    if not len(frame) or not bool(frame["suppressed"].all()):
        return None
    if "hidden" in frame and bool((frame["hidden"] == NOT_OFFERED).all()):
        return t("publication.not_offered")  # the Methods page lists what is offered
    return t("publication.withheld")


def withheld_note(frame) -> bool:
    """Say `withheld_text` under the breakdown's heading instead of its chart; True if it is withheld."""
    text = withheld_text(frame)
    if text:
        st.caption(text)
    return text is not None


@contextmanager
def table_expander(label: str, key: str, expanded: bool = False) -> Iterator[bool]:
    """An expander whose table is drawn only while it is open (yields whether it is): a
    closed table cost every rerun a Styler, two Arrow conversions and its download buttons (issue 15).
    Opening it reruns the page, which draws the table then."""
    box = st.expander(label, expanded=expanded, key=key, on_change="rerun")
    with box:
        yield bool(box.open)


def data_date() -> str:
    """The date of the latest import, formatted: "data as of" on every view."""
    return date(cached.data_updated_on(cached.current_data_version()))


def source_footer() -> None:
    if presentation.is_on():  # each chart carries the date and source already; the boundaries' licences stay
        st.caption(t("source.boundaries", attribution=t("source.attribution")))
        return
    st.caption(t("source.footer", date=data_date(), attribution=t("source.attribution")))


def chrome_text_style(lang: str) -> str:
    """CSS that redraws Streamlit's own English "Skip to main content" link (shown on keyboard focus) in `lang`:
    Streamlit has no locale, so its text is hidden and the catalogue's drawn as ::after content."""
    text = i18n.translate("a11y.skip_to_content", lang).replace("\\", "\\\\").replace('"', '\\"')
    link = "[data-testid='stSkipToContent']"
    return f'<style>{link} {{font-size:0}} {link}::after {{content:"{text}";font-size:1rem}}</style>'
