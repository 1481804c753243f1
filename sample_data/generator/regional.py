"""Regional direct support in Guatemala, Bolivia and Colombia: participants and participations.

People in transit, returned, settled or from host communities follow one to three of the
life skills, employability, entrepreneurship and community leadership components.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sample_data.generator.common import CUTOFF, NO_DATE, ages, choice_by_group, day, exact_choice, scaled, uniform_int
from sample_data.generator.components import ComponentPlan, participations
from sample_data.generator.places import assign, resolve

PROGRAMME = "regional_support"

TRANSIT_CITY = {"in_transit": 0.6, "returnee": 0.2, "host_community": 0.15, "settled": 0.05}
RETURN_AREA = {"returnee": 0.55, "in_transit": 0.2, "host_community": 0.2, "settled": 0.05}
CAPITAL = {"settled": 0.45, "returnee": 0.2, "in_transit": 0.15, "host_community": 0.2}
BORDER_CITY = {"in_transit": 0.4, "settled": 0.35, "host_community": 0.2, "returnee": 0.05}
SETTLEMENT = {"settled": 0.5, "host_community": 0.3, "in_transit": 0.2}

# country -> [(department code, municipality, weight, migration profiles there)]
PLACES: dict[str, list[tuple[str, str, float, dict[str, float]]]] = {
    "GTM": [("01", "Guatemala", 70, CAPITAL), ("01", "Mixco", 40, CAPITAL),
            ("09", "Quetzaltenango", 45, RETURN_AREA), ("13", "Huehuetenango", 35, RETURN_AREA),
            ("12", "Ayutla", 50, TRANSIT_CITY)],
    "BOL": [("02", "El Alto", 110, SETTLEMENT), ("02", "La Paz", 70, CAPITAL)],
    "COL": [("11", "Bogotá, D.C.", 45, CAPITAL), ("54", "San José de Cúcuta", 170, BORDER_CITY),
            ("54", "Villa del Rosario", 110, BORDER_CITY), ("54", "Los Patios", 35, SETTLEMENT),
            ("52", "Ipiales", 30, TRANSIT_CITY), ("52", "Pasto", 20, SETTLEMENT)],
}
ETHNICITIES = {
    "GTM": {"mestizo": 0.5, "kiche": 0.17, "mam": 0.15, "kaqchikel": 0.1, "qanjobal": 0.05, "not_stated": 0.03},
    "BOL": {"aymara": 0.45, "quechua": 0.12, "mestizo": 0.38, "not_stated": 0.05},
    "COL": {"mestizo": 0.78, "afrodescendant": 0.1, "other": 0.05, "not_stated": 0.07},
}
# Cohorts at scale 1: (people, first enrolment, last enrolment, first component ends no earlier than,
# last day of activity); only the first and last cohorts are served outside the period alone.
COHORTS = (
    (25, "2022-03-07", "2022-09-30", None, "2022-12-16"),
    (40, "2022-10-03", "2022-12-16", "2023-01-09", None),
    (750, "2023-01-09", "2024-12-13", None, None),
    (15, "2025-01-13", "2025-05-30", None, None),
)
SEXES = {"female": 0.55, "male": 0.44, "other": 0.01}
AGE_BANDS = ((15, 17, 0.05), (18, 29, 0.4), (30, 44, 0.35), (45, 64, 0.18), (65, 75, 0.02))
PLAN = ComponentPlan(
    components=("life_skills", "employability", "entrepreneurship", "community_leadership"),
    counts={1: 0.4, 2: 0.4, 3: 0.2}, hours=(4, 80), days_per_hour=(0.7, 2.0), gap_days=(7, 40),
    completed_share=0.7,
)


def places() -> pd.DataFrame:
    """Resolved regional-support municipalities of all countries, with weights."""
    return pd.concat([resolve(c, [(d, m, w) for d, m, w, _ in specs]) for c, specs in PLACES.items()],
                     ignore_index=True)


def _cohorts(rng: np.random.Generator, scale: int) -> dict[str, np.ndarray]:
    """Enrolment day, earliest end of the first component and last day of activity of each person."""
    blocks = []
    for people, first, last, first_end, last_day in COHORTS:
        n = scaled(people, scale)
        floor = uniform_int(rng, day(first_end), day(first_end) + 80, n) if first_end else np.full(n, NO_DATE)
        blocks.append((uniform_int(rng, day(first), day(last), n), floor,
                       np.full(n, day(last_day) if last_day else CUTOFF)))
    enrolment, floor, last = (np.concatenate(column) for column in zip(*blocks))
    return {"enrolment": enrolment, "first_end_min": floor, "last_day": last}


def regional(rng: np.random.Generator, scale: int) -> tuple[dict, dict]:
    """Columns of the regional-support participants (local index ids) and their participations."""
    dates = _cohorts(rng, scale)
    n = len(dates["enrolment"])
    row, territory = assign(rng, n, places())
    profiles = {i: mix for i, (*_, mix) in enumerate(s for specs in PLACES.values() for s in specs)}
    pid = np.arange(n)
    people = {
        "participant_id": pid,
        "programme": np.full(n, PROGRAMME, dtype=object),
        **territory,
        "sex": exact_choice(rng, n, list(SEXES), list(SEXES.values())),
        "age": ages(rng, n, AGE_BANDS),
        "ethnicity": choice_by_group(rng, territory["country"], ETHNICITIES),
        "migration_profile": choice_by_group(rng, row, profiles),
        "enrolment_date": dates["enrolment"],
        "institution_id": np.full(n, None, dtype=object),
    }
    parts = participations(rng, pid, dates["enrolment"], PLAN, dates["first_end_min"], dates["last_day"])
    return people, parts
