"""Read the date cells of one column: ISO dates, slash dates in the column's order, Excel day numbers.

A slash date (`03/05/2024`, also written with `.` or `-`) is day/month/year or month/day/year.
One column has one order: a first part over 12 proves day-first, a second part over 12 proves
month-first, and such values decide the whole column (the order proven by more values when a
file has both; values impossible in the column's order are then errors). A column where no
value decides it, and some date reads differently in the two orders, cannot be decided from
the file: it is a question to the person (`DateOrder.question`), answered on the next read
with the order they chose. ISO dates (yyyy-mm-dd) and Excel's day numbers are never ambiguous.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

DAY_FIRST = "day_first"
MONTH_FIRST = "month_first"
ORDERS = (DAY_FIRST, MONTH_FIRST)
MAX_EXAMPLES = 3  # ambiguous dates shown with a question

_ISO_DATE = re.compile(
    r"^(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_SLASH_DATE = re.compile(r"^(?P<first>\d{1,2})[/.-](?P<second>\d{1,2})[/.-](?P<y>\d{4})$")

# Excel stores dates as day numbers counted from 1899-12-30; a date cell that lost its date
# format (General) shows one, with a fraction when it had a time (45356 = 2024-03-05). Only
# numbers of the years 2000-2049 are read as dates: a count or a code is not taken for one.
_EXCEL_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIAL_RANGE = (36526, 54788)


@dataclass(frozen=True)
class SlashDate:
    """The parts of a slash date as written: `first/second/year`."""

    first: int
    second: int
    year: int

    def read(self, order: str) -> dt.date | None:
        """The date in `order`, None when it does not exist (month 13, 31 February)."""
        day, month = (self.first, self.second) if order == DAY_FIRST else (self.second, self.first)
        try:
            return dt.date(self.year, month, day)
        except ValueError:
            return None

    @property
    def proves(self) -> str | None:
        """The order this value can only be written in, if any."""
        if self.first > 12 >= self.second:
            return DAY_FIRST
        if self.second > 12 >= self.first:
            return MONTH_FIRST
        return None

    @property
    def ambiguous(self) -> bool:
        """Two different dates in the two orders (03/05/2024; not 05/05/2024)."""
        return self.proves is None and self.first != self.second and self.first <= 12 and self.second <= 12


def slash_date(text: str) -> SlashDate | None:
    match = _SLASH_DATE.match(text)
    return SlashDate(int(match["first"]), int(match["second"]), int(match["y"])) if match else None


def iso_date(text: str) -> dt.date | str | None:
    """The date of an ISO cell, "impossible_date" when it does not exist, None when not ISO."""
    match = _ISO_DATE.match(text)
    if match is None:
        return None
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return "impossible_date"


def excel_serial_date(text: str) -> dt.date | None:
    """The date of an Excel day number in the plausible range, else None."""
    if not _EXCEL_SERIAL.match(text):
        return None
    serial = int(float(text))
    if not EXCEL_SERIAL_RANGE[0] <= serial <= EXCEL_SERIAL_RANGE[1]:
        return None
    return EXCEL_EPOCH + dt.timedelta(days=serial)


@dataclass(frozen=True)
class DateOrder:
    """How a column's slash dates are read: its order (None: a question), and why."""

    order: str | None
    proof: str | None = None  # a value that proves the order (None: chosen, or no value decides)
    examples: tuple[str, ...] = ()  # ambiguous values, shown with the question

    @property
    def question(self) -> bool:
        return self.order is None


def decide_order(texts: Iterable[str], chosen: str | None = None) -> DateOrder:
    """The order of a column's slash dates (`texts`: its distinct cells), from the values or `chosen`.

    Values that prove an order win over `chosen` (the person is only asked about a column the
    file cannot decide); with no proof and no choice, a column with an ambiguous date is a question.
    """
    if chosen is not None and chosen not in ORDERS:
        raise ValueError(f"date order must be one of {ORDERS}, not {chosen!r}")
    parsed = [(text, date) for text in texts if (date := slash_date(text)) is not None]
    proofs: dict[str, list[str]] = {DAY_FIRST: [], MONTH_FIRST: []}
    for text, date in parsed:
        if date.proves:
            proofs[date.proves].append(text)
    if proofs[DAY_FIRST] or proofs[MONTH_FIRST]:
        order = MONTH_FIRST if len(proofs[MONTH_FIRST]) > len(proofs[DAY_FIRST]) else DAY_FIRST
        return DateOrder(order, proofs[order][0])
    if chosen is not None:
        return DateOrder(chosen)
    ambiguous = tuple(text for text, date in parsed if date.ambiguous)
    if not ambiguous:
        return DateOrder(DAY_FIRST)  # no slash date, or each one reads the same in both orders
    return DateOrder(None, examples=ambiguous[:MAX_EXAMPLES])


def readings(text: str) -> dict[str, dt.date | None]:
    """Both readings of a slash date (order -> date), for showing a question."""
    date = slash_date(text)
    return {order: date.read(order) if date else None for order in ORDERS}
