"""MISKA reintegration surveys: a baseline near enrolment, a follow-up 6-10 months later.

Scores (0-1) improve on average between rounds, the psychosocial dimension most and the
economic one least, except for people who found a job or an enterprise in between.
"""

from __future__ import annotations

import numpy as np

from data_loaders.schemas import MISKA_COMPONENTS
from sample_data.generator.common import CUTOFF, exact_flags, uniform_int

DIMENSIONS = ("economic", "social", "psychosocial")
BASELINE_BETA = {"economic": (3.0, 5.0), "social": (4.0, 5.0), "psychosocial": (3.5, 5.0)}
GAIN = {"economic": (0.05, 0.08), "social": (0.08, 0.08), "psychosocial": (0.14, 0.10)}  # mean, sd
OUTCOME_BONUS = 0.1  # extra economic gain of people with an outcome before the follow-up
FOLLOW_UP_SHARE = 0.85  # of the people who completed a component and are due by the cut-off


def _follow_up_due(rng: np.random.Generator, baseline: np.ndarray, parts: dict) -> tuple[np.ndarray, np.ndarray]:
    """Who gets a follow-up and its date (for everybody, meaningful where chosen)."""
    n = len(baseline)
    rows = parts["completed"] & np.isin(parts["component"], MISKA_COMPONENTS)
    completers = np.bincount(parts["participant_id"][rows], minlength=n) > 0
    dates = baseline + uniform_int(rng, 182, 304, n)
    due = np.flatnonzero(completers & (dates <= CUTOFF))
    chosen = np.zeros(n, dtype=bool)
    chosen[due[exact_flags(rng, len(due), FOLLOW_UP_SHARE)]] = True
    return chosen, dates


def _had_outcome_before(outcomes: dict, n: int, dates: np.ndarray) -> np.ndarray:
    pid = outcomes["participant_id"]
    before = outcomes["date"] <= dates[pid]
    return np.bincount(pid[before], minlength=n) > 0


def _scores(rng: np.random.Generator, n: int, bonus: np.ndarray) -> tuple[dict, dict]:
    baseline, follow = {}, {}
    for name in DIMENSIONS:
        start = rng.beta(*BASELINE_BETA[name], n)
        gain = rng.normal(*GAIN[name], n) + (OUTCOME_BONUS * bonus if name == "economic" else 0)
        baseline[name] = np.round(start, 2)
        follow[name] = np.round(np.clip(start + gain, 0, 1), 2)
    return baseline, follow


def reintegration_surveys(rng: np.random.Generator, people: dict, parts: dict, outcomes: dict) -> dict:
    """Columns of the surveys (participant_id = local index of `people`)."""
    pid = people["participant_id"]
    n = len(pid)
    baseline_date = np.minimum(people["enrolment_date"] + uniform_int(rng, 0, 14, n), CUTOFF)
    chosen, follow_date = _follow_up_due(rng, baseline_date, parts)
    baseline, follow = _scores(rng, n, _had_outcome_before(outcomes, n, follow_date))
    return {
        "participant_id": np.concatenate([pid, pid[chosen]]),
        "round": np.repeat(np.array(["baseline", "follow_up"], dtype=object), [n, chosen.sum()]),
        "date": np.concatenate([baseline_date, follow_date[chosen]]),
        **{name: np.concatenate([baseline[name], follow[name][chosen]]) for name in DIMENSIONS},
    }
