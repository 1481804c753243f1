"""Ties between network institutions: undirected, no self-loops, no duplicates, ~20 % cross-border.

A backbone links each institution to an earlier member of its side (preferring well-connected
ones and Desaguadero), so each side is connected; extra ties are then drawn by weight.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from sample_data.generator.common import CUTOFF, exact_choice, uniform_int, weighted_pick
from sample_data.generator.network import BORDER_TOWN

TOTAL_TIES = 90
CROSS_BORDER_SHARE = 0.2
TIE_TYPES = {"coordination": 0.35, "referral": 0.3, "joint_activity": 0.25, "training": 0.1}


def _backbone(rng: np.random.Generator, inst: pd.DataFrame) -> set[tuple[int, int]]:
    """Each institution tied to one that joined before it on the same side."""
    edges: set[tuple[int, int]] = set()
    degree = np.zeros(len(inst))
    hub = (inst["town"] == BORDER_TOWN).to_numpy() + 1.0
    for _, side in inst.groupby("country", sort=True):
        order = side.sort_values(["joined_date", "institution_id"]).index.to_numpy()
        for position in range(1, len(order)):
            earlier = order[:position]
            weights = (degree[earlier] + 1) * hub[earlier]
            other = rng.choice(earlier, p=weights / weights.sum())
            edges.add((min(order[position], other), max(order[position], other)))
            degree[[order[position], other]] += 1
    return edges


def _pair_weight(inst: pd.DataFrame, a: int, b: int) -> float:
    town, code, kind = inst["town"].to_numpy(), inst["municipality_code"].to_numpy(), inst["type"].to_numpy()
    at_border = (town[a] == BORDER_TOWN) + (town[b] == BORDER_TOWN)
    weight = (1, 2, 6)[at_border] * (2 if kind[a] == kind[b] else 1)
    return weight * (3 if code[a] == code[b] else 1)


def _extra(rng: np.random.Generator, inst: pd.DataFrame, taken: set, cross: bool, k: int) -> set:
    country = inst["country"].to_numpy()
    pairs = [(a, b) for a, b in itertools.combinations(range(len(inst)), 2)
             if (country[a] != country[b]) == cross and (a, b) not in taken]
    weights = np.array([_pair_weight(inst, a, b) for a, b in pairs], dtype=float)
    return {pairs[i] for i in weighted_pick(rng, weights, k)}


def ties(rng: np.random.Generator, inst: pd.DataFrame) -> pd.DataFrame:
    """The network ties (institution ids in order, source < target)."""
    cross = int(round(TOTAL_TIES * CROSS_BORDER_SHARE))
    edges = _backbone(rng, inst)
    edges |= _extra(rng, inst, edges, cross=False, k=TOTAL_TIES - cross - len(edges))
    edges |= _extra(rng, inst, edges, cross=True, k=cross)
    a, b = np.array(sorted(edges)).T
    joined = inst["joined_date"].to_numpy()
    both = np.maximum(joined[a], joined[b])
    ids = inst["institution_id"].to_numpy()
    frame = pd.DataFrame({
        "source_id": np.minimum(ids[a], ids[b]),
        "target_id": np.maximum(ids[a], ids[b]),
        "tie_type": exact_choice(rng, len(a), list(TIE_TYPES), list(TIE_TYPES.values())),
        "since_date": uniform_int(rng, both + 20, np.minimum(both + 400, CUTOFF)),
    })
    return frame.sort_values(["source_id", "target_id"], ignore_index=True)
