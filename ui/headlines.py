"""The headline sentence of each overview chart, in the session's language (see indicators.headlines)."""

from __future__ import annotations

import pandas as pd

from indicators.headlines import largest, peak, reported_quantity, share_of
from indicators.territory import with_unit_names
from ui.language import current_language, number, share, t
import i18n


def quantity(count: int) -> str:
    """"más de 1.400" / "1.400" (lower case; `sentence` capitalises)."""
    amount = reported_quantity(count)
    return t("headline.more_than", n=number(amount.value)) if amount.more_than else number(amount.value)


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def people_served(value: object, suppressed: bool, period: str) -> str:
    if suppressed or pd.isna(value):
        return t("headline.served.protected", period=period)
    return sentence(t("headline.served", quantity=quantity(int(value)), period=period))


def country_profile(frame: pd.DataFrame) -> str:
    top = largest(frame, "country")
    if top is None:
        return t("overview.by_country_profile")
    country, _, fraction = top
    return t("headline.country", country=t(f"country.{country}"), share=share(fraction, 0))


def pyramid(frame: pd.DataFrame) -> str:
    women = share_of(frame, "sex", "female")
    if women is not None:
        return t("headline.women", share=share(women, 0))
    cells = frame.assign(group=[f"{sex}|{age}" for sex, age in zip(frame["sex"], frame["age_group"])])
    top = peak(cells, "group")
    if top is None:
        return t("overview.pyramid")
    sex, age = str(top.category).split("|")
    key = "headline.largest_group.among_shown" if top.among_published else "headline.largest_group"
    return t(key, group=t(f"headline.group.{sex}", age=t(f"age_group.{age}")), n=number(top.value))


def trend(frame: pd.DataFrame) -> str:
    top = peak(frame, "quarter")
    if top is None:
        return t("overview.trend")
    quarter = i18n.format_quarter(pd.Timestamp(top.category).date(), current_language())
    return t("headline.trend", quarter=quarter, n=number(top.value))


def map_units(frame: pd.DataFrame, level: str) -> str:
    named = with_unit_names(frame, level)
    top = peak(named.assign(place=named["name"]), "place")
    if top is None:
        return t("overview.map")
    key = "headline.map.among_shown" if top.among_published else "headline.map"
    return t(f"{key}.{level}", name=top.category, n=number(top.value))


def map_indicator(units: pd.DataFrame, indicator_id: str, level: str, format_value) -> str | None:
    """The unit with the highest value of any map indicator (shares included); None if nothing is shown."""
    top = peak(units.assign(place=units["name"]), "place") if "name" in units else None
    if top is None:
        return None
    key = "headline.map_indicator.among_shown" if top.among_published else "headline.map_indicator"
    return t(f"{key}.{level}", name=top.category, indicator=t(f"indicator.{indicator_id}.label"),
             value=format_value(top.value))
