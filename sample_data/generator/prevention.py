"""Young prevention agents of the Desaguadero network and their training (one participation each).

Agents belong to a network institution that had joined when their training began (mostly
schools, mostly in Desaguadero) and live in its municipality. Counts of each training
situation are allocated exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sample_data.generator.common import NO_DATE, ages, day, exact_choice, scaled, uniform_int
from sample_data.generator.network import BORDER_TOWN

PROGRAMME = "prevention_network"
COMPONENT = "prevention_agent_training"

# Training situations at scale 1: people, day range, training days, hours, completed.
# "end" situations draw the last day in the range, the others the first day.
SITUATIONS = (
    ("trained_in_period", 532, "end", ("2023-01-16", "2024-12-20"), (21, 90), (24, 60), True),
    ("dropped_in_period", 12, "start", ("2023-02-01", "2024-10-31"), (7, 40), (4, 20), False),
    ("trained_2025", 12, "start", ("2025-01-06", "2025-03-14"), (30, 90), (24, 60), True),
    ("ongoing_2025", 4, "start", ("2025-05-05", "2025-06-20"), None, (4, 16), False),
)
TYPE_WEIGHT = {"school": 10, "community_organisation": 4, "local_authority": 3, "health": 2,
               "police": 1, "justice": 1}
BORDER_WEIGHT = 3  # Desaguadero institutions, on either side, have this many times more agents
SEXES = {"female": 0.58, "male": 0.42}
AGE_BANDS = ((15, 17, 0.35), (18, 24, 0.45), (25, 29, 0.12), (30, 45, 0.08))
ETHNICITIES = {"aymara": 0.82, "quechua": 0.06, "mestizo": 0.1, "not_stated": 0.02}
PROFILES = {"at_risk": 0.8, "host_community": 0.2}


def institution_weights(inst: pd.DataFrame) -> np.ndarray:
    """Relative number of agents (and sessions) of each institution."""
    border = np.where(inst["town"] == BORDER_TOWN, BORDER_WEIGHT, 1)
    return inst["type"].map(TYPE_WEIGHT).to_numpy(dtype=float) * border


def _institution_of(rng: np.random.Generator, start: np.ndarray, inst: pd.DataFrame) -> np.ndarray:
    """Row of `inst` of each agent, by weight among the institutions that had joined when training began."""
    joined = inst["joined_date"].to_numpy()
    order = np.argsort(joined, kind="stable")
    cumulative = np.cumsum(institution_weights(inst)[order])
    members = np.searchsorted(joined[order], start, side="right")
    if (members == 0).any():
        raise ValueError("a prevention agent's training starts before any institution joined the network")
    draw = rng.random(len(start)) * cumulative[members - 1]
    return order[np.searchsorted(cumulative, draw, side="right")]


def _training(rng: np.random.Generator, scale: int) -> dict:
    """Start, end, hours and completion of every agent's training, situation by situation."""
    blocks = []
    for _, people, anchor, (low, high), days, hours, completed in SITUATIONS:
        n = scaled(people, scale)
        first = uniform_int(rng, day(low), day(high), n)
        if days is None:  # still in training at the data cut-off
            start, end = first, np.full(n, NO_DATE)
        else:
            length = uniform_int(rng, *days, n)
            start, end = (first - length, first) if anchor == "end" else (first, first + length)
        blocks.append({"start_date": start, "end_date": end,
                       "hours": uniform_int(rng, *hours, n).astype(float), "completed": np.full(n, completed)})
    return {name: np.concatenate([b[name] for b in blocks]) for name in blocks[0]}


def agents(rng: np.random.Generator, scale: int, inst: pd.DataFrame) -> tuple[dict, dict]:
    """Columns of the agents (participant_id = local index) and of their training participations."""
    training = _training(rng, scale)
    n = len(training["start_date"])
    where = _institution_of(rng, training["start_date"], inst)
    column = lambda name: inst[name].to_numpy(dtype=object)[where]  # noqa: E731
    pid = np.arange(n)
    people = {
        "participant_id": pid,
        "programme": np.full(n, PROGRAMME, dtype=object),
        "country": column("country"),
        "department_code": column("department_code"),
        "municipality_code": column("municipality_code"),
        "sex": exact_choice(rng, n, list(SEXES), list(SEXES.values())),
        "age": ages(rng, n, AGE_BANDS),
        "ethnicity": exact_choice(rng, n, list(ETHNICITIES), list(ETHNICITIES.values())),
        "migration_profile": exact_choice(rng, n, list(PROFILES), list(PROFILES.values())),
        "enrolment_date": training["start_date"],
        "institution_id": column("institution_id"),
    }
    return people, {"participant_id": pid, "component": np.full(n, COMPONENT, dtype=object), **training}
