"""Shared chart styling: the organisation's colours and a colour-blind-safe sequential palette."""

from __future__ import annotations

# Organisation colours (also in .streamlit/config.toml).
PRIMARY = "#0F6E74"
ACCENT = "#E07A1F"
TEXT = "#1F2933"
# Grey marks beside PRIMARY (reference, baseline): 3.1:1 on white (enough for marks) and apart from PRIMARY
# for colour-blind readers, which the darker MUTED is not (charts.colour_vision).
MARK_GREY = "#8A94A6"
MUTED = "#6B7585"  # 4.7:1 on white: also used for small text (notes, presentation subheads)

SEX_COLOURS = {"female": "#7B3294", "male": "#1B9E77", "other": "#E6AB02"}

# Viridis, 5 classes, light to dark: each step stays apart under protanopia and deuteranopia
# (Machado 2009, checked in tests/test_map_classes.py), and the palest class is a strong yellow,
# never the white of "no data" (YlGnBu's #ffffcc was).
SEQUENTIAL = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")
ZERO_COLOUR = "#ddd3c0"  # light sand: apart from every class, the grey base and white "no data"
SUPPRESSED_COLOUR = "#b8b8b8"  # protected units also carry a '·' marker
NO_DATA_COLOUR = "#ffffff"  # drawn white with an outline, as its legend swatch
BASE_COLOUR = "#eceff1"  # countries and units outside the map's territory
HOVER_COLOUR = ACCENT  # opaque: no class or state is orange, so a hovered unit never reads as a value
OUTLINE_COLOUR = "#5c6670"

# Streamlit draws captions in its text colour at 60 % opacity (#797f85, 4.0:1 on white) and inline code in a pale green
# (3.0:1): both below WCAG's 4.5:1 for small text, so ui.layout.page_style sets these instead.
CAPTION_COLOUR = "#5C6670"  # 5.9:1 on white
CODE_COLOUR = "#0B5A5F"  # 7.5:1 on Streamlit's code background

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

# Labels drawn on deck.gl maps: a sans-serif the machine has (deck.gl defaults to a monospace).
MAP_LABEL_FONT = "DejaVu Sans, Arial, sans-serif"
