"""Charts and tables built once per content and shared by every session and rerun (issue 15).

A warm rerun used to spend most of its CPU building the same Plotly figures and table stylers again
from the same cached figures. `built(builder, *args)` keys the result on the builder and the content
of its arguments (Streamlit's cache hashing: frames by their values) and the session's language (which
`t()` reads inside builders), so a figure is built once per data version, filter set and language,
whoever asks. What is returned is shared: never change it in place
(the pages do not; `charts.style.for_projector` and the image exports work on copies).
"""

from __future__ import annotations

from typing import Callable, TypeVar

import streamlit as st

from ui.language import current_language

T = TypeVar("T")


@st.cache_resource(show_spinner=False, max_entries=2048)
def _built(name: str, args: tuple, kwargs: tuple, lang: str, _builder: Callable[..., object]) -> object:
    return _builder(*args, **dict(kwargs))


def built(builder: Callable[..., T], *args, **kwargs) -> T:
    """`builder(*args, **kwargs)`, computed once per distinct content of the arguments."""
    name = f"{builder.__module__}.{builder.__qualname__}"  # Streamlit does not hash functions
    return _built(name, args, tuple(sorted(kwargs.items())), current_language(), builder)
