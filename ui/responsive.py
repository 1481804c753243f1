"""The dashboard on a phone: one style sheet, part of every page's style (ui.layout.page_style).

Streamlit already stacks columns below 640 px; what it leaves is chrome and type sized for a
desk. The rules apply only below that width, so the desktop and the presentation mode are as before.
"""

from __future__ import annotations

import streamlit as st

# Below Streamlit's own breakpoint for stacking columns (640 px).
PHONE_MAX_WIDTH = 640

PHONE_STYLE = f"""
<style>
@media (max-width: {PHONE_MAX_WIDTH}px) {{
  /* Less empty frame around the content: the header bar already takes the top. */
  [data-testid="stMainBlockContainer"], .block-container {{
    padding: 3.5rem 1rem 2rem !important;
  }}
  /* Titles fit the width; a long word (a municipality, a URL) breaks instead of pushing the page sideways. */
  [data-testid="stMain"] h1 {{ font-size: 2rem !important; }}
  [data-testid="stMain"] h2 {{ font-size: 1.5rem !important; }}
  [data-testid="stMain"] h3 {{ font-size: 1.2rem !important; }}
  [data-testid="stMain"] :is(h1, h2, h3, p, li, code, a, span) {{ overflow-wrap: anywhere; }}
  /* Headline figures two to a row, not six screens of one each; a long reading ("menos de 5") wraps.
     Only a row of figures: a layout row holding one (sentences beside a map) stacks as Streamlit does. */
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]):not(:has([data-testid="stHorizontalBlock"])) {{
    flex-wrap: wrap !important; gap: 0.75rem !important;
  }}
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]):not(:has([data-testid="stHorizontalBlock"])) > [data-testid="stColumn"] {{
    flex: 1 1 calc(50% - 0.75rem) !important; min-width: calc(50% - 0.75rem) !important;
    width: calc(50% - 0.75rem) !important;
  }}
  [data-testid="stMetricValue"] > div {{ font-size: 1.75rem; white-space: normal !important; line-height: 1.2; }}
  [data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {{ white-space: normal !important; }}
  /* Plotly's tool bar sits on the legend and its zoom tools fight the thumb; the export buttons stay. */
  [data-testid="stPlotlyChart"] .modebar-container {{ display: none !important; }}
  /* Tables and code scroll inside themselves, never the page. */
  [data-testid="stDataFrame"], [data-testid="stTable"], [data-testid="stMarkdownContainer"] table, pre {{
    max-width: 100%; overflow-x: auto;
  }}
  /* A map never wider than its column. */
  [data-testid="stDeckGlJsonChart"] {{ max-width: 100%; }}
  /* Buttons wrap their labels rather than widen the row. */
  [data-testid="stDownloadButton"] button, [data-testid="stButton"] button {{ white-space: normal; }}
}}
</style>
"""

