"""MISKA outcomes: jobs and enterprises, allocated in exact numbers inside and after the period.

People who completed technical or digital training are likelier to find a job; those who
took the entrepreneurship component are likelier to start or consolidate an enterprise.
"""

from __future__ import annotations

import numpy as np

from sample_data.generator.common import PERIOD_END, PERIOD_START, day, exact_choice, scaled, uniform_int, weighted_pick

# Distinct participants at scale 1, by kind of outcome.
EMPLOYED_IN_PERIOD = 46
EMPLOYED_2025 = 3
ENTERPRISE_BOTH = 4  # started, then consolidated, both in the period
ENTERPRISE_SINGLE = {"enterprise_started": 24, "enterprise_consolidated": 7}
ENTERPRISE_2025 = {"enterprise_started": 2, "enterprise_consolidated": 1}

LEAD_DAYS = 45  # an outcome is verified at least this long after enrolment
LATE = (day("2025-01-10"), day("2025-06-20"))  # outcomes dated after the period
EMPLOYMENT_SECTORS = {"services": 0.3, "commerce": 0.2, "agriculture": 0.2, "construction": 0.1,
                      "manufacturing": 0.1, "technology": 0.05, "tourism": 0.05}
ENTERPRISE_SECTORS = {"commerce": 0.35, "agriculture": 0.25, "services": 0.15, "manufacturing": 0.15,
                      "tourism": 0.05, "other": 0.05}


def _per_person(parts: dict, n: int, components: tuple[str, ...], completed_only: bool) -> np.ndarray:
    rows = np.isin(parts["component"], components) & (parts["completed"] | (not completed_only))
    return np.bincount(parts["participant_id"][rows], minlength=n)


def _in_period_dates(rng: np.random.Generator, enrolment: np.ndarray) -> np.ndarray:
    low = np.maximum(enrolment + LEAD_DAYS, PERIOD_START)
    return uniform_int(rng, low, np.minimum(np.maximum(enrolment + 420, low), PERIOD_END))


def _late_dates(rng: np.random.Generator, enrolment: np.ndarray) -> np.ndarray:
    return uniform_int(rng, np.maximum(LATE[0], enrolment + LEAD_DAYS), LATE[1])


def _rows(pid, outcome, dates, sector) -> dict:
    n = len(pid)
    return {"participant_id": pid, "outcome": np.broadcast_to(np.asarray(outcome), n).astype(str),
            "date": dates, "sector": np.broadcast_to(np.asarray(sector), n).astype(str)}


def _employment(rng: np.random.Generator, scale: int, enrolment, in_period, weights) -> list[dict]:
    eligible = in_period & (enrolment + LEAD_DAYS + 30 <= PERIOD_END)
    hired = weighted_pick(rng, np.where(eligible, weights, 0), scaled(EMPLOYED_IN_PERIOD, scale))
    late_ok = np.ones(len(enrolment), bool)
    late_ok[hired] = False
    late = weighted_pick(rng, np.where(late_ok & (enrolment <= LATE[1] - LEAD_DAYS), weights, 0),
                         scaled(EMPLOYED_2025, scale))
    pid = np.concatenate([hired, late])
    dates = np.concatenate([_in_period_dates(rng, enrolment[hired]), _late_dates(rng, enrolment[late])])
    sector = exact_choice(rng, len(pid), list(EMPLOYMENT_SECTORS), list(EMPLOYMENT_SECTORS.values()))
    return [_rows(pid, "employment", dates, sector)]


def _enterprises_in_period(rng, scale, enrolment, in_period, weights, sector) -> tuple[list[dict], np.ndarray]:
    early = in_period & (enrolment <= PERIOD_END - 240)
    both = weighted_pick(rng, np.where(early, weights, 0), scaled(ENTERPRISE_BOTH, scale))
    started = uniform_int(rng, np.maximum(enrolment[both] + LEAD_DAYS, PERIOD_START), PERIOD_END - 120)
    consolidated = uniform_int(rng, started + 90, np.minimum(started + 360, PERIOD_END))
    eligible = in_period & (enrolment + LEAD_DAYS + 30 <= PERIOD_END)
    eligible[both] = False
    counts = {kind: scaled(k, scale) for kind, k in ENTERPRISE_SINGLE.items()}
    single = weighted_pick(rng, np.where(eligible, weights, 0), sum(counts.values()))
    kinds = exact_choice(rng, len(single), list(counts), list(counts.values()))
    rows = [_rows(both, "enterprise_started", started, sector[both]),
            _rows(both, "enterprise_consolidated", consolidated, sector[both]),
            _rows(single, kinds, _in_period_dates(rng, enrolment[single]), sector[single])]
    return rows, np.concatenate([both, single])


def _enterprises(rng: np.random.Generator, scale: int, enrolment, in_period, weights) -> list[dict]:
    sector = exact_choice(rng, len(enrolment), list(ENTERPRISE_SECTORS), list(ENTERPRISE_SECTORS.values()))
    rows, owners = _enterprises_in_period(rng, scale, enrolment, in_period, weights, sector)
    eligible = enrolment <= LATE[1] - LEAD_DAYS
    eligible[owners] = False
    counts = {kind: scaled(k, scale) for kind, k in ENTERPRISE_2025.items()}
    late = weighted_pick(rng, np.where(eligible, weights, 0), sum(counts.values()))
    kinds = exact_choice(rng, len(late), list(counts), list(counts.values()))
    return rows + [_rows(late, kinds, _late_dates(rng, enrolment[late]), sector[late])]


def miska_outcomes(rng: np.random.Generator, scale: int, people: dict, parts: dict) -> dict:
    """Columns of the MISKA outcomes (participant_id = local index of `people`)."""
    n = len(people["participant_id"])
    enrolment = people["enrolment_date"]
    in_period = people["cohort"] < 2
    job_weights = 1.0 + _per_person(parts, n, ("technical_training", "digital_skills"), completed_only=True)
    enterprise_weights = 1.0 + 3 * _per_person(parts, n, ("entrepreneurship",), completed_only=False)
    blocks = _employment(rng, scale, enrolment, in_period, job_weights)
    blocks += _enterprises(rng, scale, enrolment, in_period, enterprise_weights)
    return {name: np.concatenate([block[name] for block in blocks]) for name in blocks[0]}
