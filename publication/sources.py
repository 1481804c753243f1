"""The publication family of a people indicator, read from the store (person facts) once per data version."""

from __future__ import annotations

import duckdb

from indicators import person_facts
from indicators.filters import default_period
from indicators.registry import get_indicator
from publication.family import Family, Periods, build_family, people_frame

# The indicators whose figures are protected as a family (people counted once each).
FAMILY_INDICATORS = ("people_served", "miska_participants", "miska_employed", "miska_enterprises", "agents_trained")


def periods_of(con: duckdb.DuckDBPyConnection) -> Periods:
    """The reporting period (settings) and every calendar year in which someone took part (the data)."""
    years = con.execute(
        "SELECT DISTINCT CAST(year(d) AS INTEGER) FROM (SELECT start_date AS d FROM participations "
        "UNION SELECT coalesce(end_date, start_date) FROM participations) WHERE d IS NOT NULL ORDER BY 1"
    ).fetchall()
    return Periods(default_period(), tuple(y for (y,) in years))


def people_family(con: duckdb.DuckDBPyConnection, indicator_id: str, periods: Periods | None = None) -> Family:
    """Every cell of a people indicator's family, with its true count (never published as such)."""
    indicator = get_indicator(indicator_id)
    if indicator.kind != "people":
        raise ValueError(f"{indicator_id} is not counted in people; its family is not defined")
    periods = periods or periods_of(con)
    facts = person_facts.build(con, indicator, "quarter")
    if facts is None:
        raise ValueError(f"{indicator_id}: events span more quarters than a person-fact mask holds")
    frame = people_frame(facts.table.to_pandas(), facts.first, person_facts.MONTHS_PER_BIT["quarter"], periods)
    return build_family(indicator_id, frame, periods)
