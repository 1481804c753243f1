"""Primary small-cell suppression, applied once where every disaggregated count is made.

A count from 1 to k-1 is never published (k from settings, never below 3); zeros stay
zeros. A rate is suppressed when its numerator or denominator is.
"""

from __future__ import annotations

import pandas as pd

import settings


def suppress_counts(frame: pd.DataFrame, value_column: str = "value", threshold: int | None = None) -> pd.DataFrame:
    """Copy of `frame` where small counts become <NA> and `suppressed` says which."""
    k = settings.suppression_threshold() if threshold is None else threshold
    out = frame.copy()
    values = out[value_column]
    small = values.notna() & (values >= 1) & (values < k)
    out[value_column] = values.astype("Float64").mask(small).astype("Int64")
    out["suppressed"] = small.to_numpy()
    return out


def suppress_rates(numerators: pd.Series, denominators: pd.Series, threshold: int | None = None) -> tuple[pd.Series, pd.Series]:
    """(rate, suppressed) for numerator/denominator counts; rates are fractions."""
    k = settings.suppression_threshold() if threshold is None else threshold
    small = ((numerators >= 1) & (numerators < k)) | ((denominators >= 1) & (denominators < k))
    rate = (numerators / denominators.where(denominators > 0)).astype("Float64")
    return rate.mask(small), small
