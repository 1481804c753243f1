"""MISKA reintegration model (western Guatemala): participants and their participations.

Participants are returned migrants, mostly women and young, mostly Maya by area. Counts of
the headline figures are allocated exactly (not drawn), so they are stable across seeds.
"""

from __future__ import annotations

import numpy as np

from data_loaders.schemas import MISKA_COMPONENTS
from sample_data.generator.common import NO_DATE, ages, choice_by_group, day, exact_choice, scaled, uniform_int
from sample_data.generator.components import ComponentPlan, participations
from sample_data.generator.places import PlaceSpec, assign, resolve

PROGRAMME = "miska_reintegration"

MAM = {"mam": 0.8, "mestizo": 0.15, "not_stated": 0.05}
MAM_MIXED = {"mam": 0.5, "mestizo": 0.45, "not_stated": 0.05}
KICHE = {"kiche": 0.85, "mestizo": 0.12, "not_stated": 0.03}
KICHE_MIXED = {"kiche": 0.55, "mestizo": 0.4, "mam": 0.05}
QANJOBAL = {"qanjobal": 0.85, "akateko": 0.05, "mestizo": 0.1}

# (department code, municipality, weight), ethnic mix of the participants there.
PLACES: list[tuple[PlaceSpec, dict[str, float]]] = [
    (("13", "Huehuetenango", 14), MAM_MIXED),
    (("13", "Chiantla", 6), MAM_MIXED),
    (("13", "San Pedro Necta", 6), MAM),
    (("13", "Cuilco", 7), MAM),
    (("13", "La Democracia", 5), MAM_MIXED),
    (("13", "Santa Eulalia", 6), QANJOBAL),
    (("13", "San Juan Ixcoy", 4), QANJOBAL),
    (("12", "San Marcos", 9), MAM_MIXED),
    (("12", "Tacaná", 6), MAM),
    (("12", "San Pedro Sacatepéquez", 6), MAM_MIXED),
    (("12", "Concepción Tutuapa", 5), MAM),
    (("09", "Quetzaltenango", 8), KICHE_MIXED),
    (("09", "Cabricán", 3), MAM),
    (("08", "Totonicapán", 5), KICHE),
    (("08", "Momostenango", 5), KICHE),
    (("14", "Santa Cruz del Quiché", 5), KICHE),
    (("14", "Santo Tomás Chichicastenango", 4), KICHE),
    (("14", "Joyabaj", 3), KICHE),
]

# Enrolment cohorts at scale 1: (people, first enrolment day, last enrolment day).
COHORTS = (
    (8, "2022-10-03", "2022-12-16"),  # their first component runs into 2023
    (128, "2023-01-09", "2024-12-13"),
    (6, "2025-01-13", "2025-04-30"),  # not served in the reporting period
)
SEXES = {"female": 0.65, "male": 0.345, "other": 0.005}
AGE_BANDS = ((15, 17, 0.06), (18, 24, 0.36), (25, 29, 0.28), (30, 39, 0.2), (40, 55, 0.1))
PROFILES = {"returnee": 0.82, "host_community": 0.1, "at_risk": 0.08}
PLAN = ComponentPlan(
    components=MISKA_COMPONENTS, counts={2: 0.2, 3: 0.35, 4: 0.3, 5: 0.15}, hours=(8, 120),
    days_per_hour=(0.8, 2.0), gap_days=(7, 45), completed_share=0.75,
)


def places():
    """Resolved MISKA municipalities with their weights (frame)."""
    return resolve("GTM", [spec for spec, _ in PLACES])


def _enrolment(rng: np.random.Generator, scale: int) -> tuple[np.ndarray, np.ndarray]:
    """Enrolment day and cohort index of each participant."""
    sizes = [scaled(n, scale) for n, _, _ in COHORTS]
    cohort = np.repeat(np.arange(len(COHORTS)), sizes)
    low = np.array([day(a) for _, a, _ in COHORTS])[cohort]
    high = np.array([day(b) for _, _, b in COHORTS])[cohort]
    return uniform_int(rng, low, high), cohort


def participants(rng: np.random.Generator, scale: int) -> dict:
    """Columns of the MISKA participants (participant_id = local index 0..n-1), plus `cohort`."""
    enrolment, cohort = _enrolment(rng, scale)
    n = len(enrolment)
    row, territory = assign(rng, n, places())
    mixes = {i: mix for i, (_, mix) in enumerate(PLACES)}
    return {
        "participant_id": np.arange(n),
        "programme": np.full(n, PROGRAMME, dtype=object),
        **territory,
        "sex": exact_choice(rng, n, list(SEXES), list(SEXES.values())),
        "age": ages(rng, n, AGE_BANDS),
        "ethnicity": choice_by_group(rng, row, mixes),
        "migration_profile": exact_choice(rng, n, list(PROFILES), list(PROFILES.values())),
        "enrolment_date": enrolment,
        "institution_id": np.full(n, None, dtype=object),
        "cohort": cohort,
    }


def miska_participations(rng: np.random.Generator, people: dict) -> dict:
    """Columns of the MISKA participations; the first cohort's first component ends in 2023."""
    enrolment = people["enrolment_date"]
    into_2023 = uniform_int(rng, day("2023-01-09"), day("2023-03-31"), len(enrolment))
    first_end_min = np.where(people["cohort"] == 0, into_2023, NO_DATE)
    return participations(rng, people["participant_id"], enrolment, PLAN, first_end_min=first_end_min)
