"""Figures made for projection and slides: the headline figures as large numbers."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

from charts.style import MUTED, PRIMARY, TEXT, base_layout


@dataclass(frozen=True)
class BigNumber:
    value_text: str  # already formatted for the language ("1.470", or the protected mark)
    label: str
    note: str = ""  # e.g. "indirect reach"


def big_numbers(items: list[BigNumber], columns: int = 3) -> go.Figure:
    """A grid of large figures with their labels (annotations only: exports crisply at any size)."""
    figure = go.Figure()
    rows = -(-len(items) // columns)
    for index, item in enumerate(items):
        row, column = divmod(index, columns)
        x, height = (column + 0.5) / columns, 1 / rows
        centre = 1 - (row + 0.5) * height
        texts = ((f"<b>{item.value_text}</b>", 0.18, 54, PRIMARY), (item.label, -0.14, 18, TEXT),
                 (item.note, -0.3, 14, MUTED))
        for text, offset, size, colour in texts:
            if text:
                figure.add_annotation(x=x, y=centre + offset * height, xref="paper", yref="paper", text=text,
                                      showarrow=False, xanchor="center", yanchor="middle",
                                      font=dict(size=size, color=colour))
    layout = base_layout()
    layout.update(xaxis=dict(visible=False), yaxis=dict(visible=False), margin=dict(l=20, r=20, t=20, b=20),
                  showlegend=False, height=480)
    figure.update_layout(**layout)
    return figure
