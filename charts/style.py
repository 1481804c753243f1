"""Shared chart styling: the organisation's colours and a colour-blind-safe sequential palette."""

from __future__ import annotations

# Organisation colours (also in .streamlit/config.toml).
PRIMARY = "#0F6E74"
ACCENT = "#E07A1F"
TEXT = "#1F2933"
MUTED = "#8A94A6"

SEX_COLOURS = {"female": "#7B3294", "male": "#1B9E77", "other": "#E6AB02"}

# ColorBrewer YlGnBu, 5 classes (colour-blind safe, prints in grey scale).
SEQUENTIAL = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
ZERO_COLOUR = "#ddd3c0"  # light sand: clearly apart from the grey base and white "no data"
SUPPRESSED_COLOUR = "#b8b8b8"
OUTLINE_COLOUR = "#5c6670"

FONT = "DejaVu Sans, Arial, sans-serif"


def base_layout(title: str | None = None) -> dict:
    """Plotly layout defaults for every chart."""
    return dict(
        title=dict(text=title, x=0, font=dict(size=16)) if title else None,
        font=dict(family=FONT, size=13, color=TEXT),
        paper_bgcolor="white", plot_bgcolor="white",
        margin=dict(l=10, r=10, t=40 if title else 10, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
    )


def hex_to_rgba(colour: str, alpha: int = 255) -> list[int]:
    colour = colour.lstrip("#")
    return [int(colour[i:i + 2], 16) for i in (0, 2, 4)] + [alpha]


# Type sizes (px) that read from the back of a room on a projector.
PROJECTOR_FONT = 22
PROJECTOR_TICKS = 20
PROJECTOR_HEIGHT = 1.25


def for_projector(figure):
    """A copy of `figure` with every text (axes, ticks, legend, hover, annotations) enlarged for a
    projector; the original is left as it is because the exports use it."""
    import plotly.graph_objects as go

    projected = go.Figure(figure)
    projected.update_layout(font_size=PROJECTOR_FONT, legend_font_size=PROJECTOR_TICKS,
                            legend_title_font_size=PROJECTOR_TICKS, hoverlabel_font_size=PROJECTOR_TICKS,
                            coloraxis_colorbar_tickfont_size=PROJECTOR_TICKS)
    if projected.layout.title and projected.layout.title.text:
        projected.update_layout(title_font_size=PROJECTOR_FONT + 4)
    # Charts set their own sizes on axes and annotations; the projector overrides them all.
    projected.update_xaxes(tickfont_size=PROJECTOR_TICKS, title_font_size=PROJECTOR_FONT)
    projected.update_yaxes(tickfont_size=PROJECTOR_TICKS, title_font_size=PROJECTOR_FONT)
    for note in projected.layout.annotations:  # never shrink the big numbers of a figures slide
        note.font.size = max(note.font.size or 0, PROJECTOR_TICKS)
    for trace in projected.data:
        if "textfont" in trace:
            size = trace.textfont.size
            trace.textfont.size = max(size, PROJECTOR_TICKS) if isinstance(size, (int, float)) else PROJECTOR_TICKS
    if projected.layout.height:  # room for the larger labels
        projected.layout.height = round(projected.layout.height * PROJECTOR_HEIGHT)
    return projected
