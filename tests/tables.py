"""What a table of the app reads on screen under AppTest (ui.tables draws Stylers: `.value` holds the numbers)."""

from __future__ import annotations

import pandas as pd
from streamlit import dataframe_util


def shown(element) -> pd.DataFrame:
    """The cells' display text of an AppTest dataframe (its values when it carries no Styler)."""
    display = element.proto.arrow_data.styler.display_values
    return dataframe_util.convert_arrow_bytes_to_pandas_df(display) if display else element.value
