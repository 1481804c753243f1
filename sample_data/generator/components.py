"""Participations in programme components, built for many participants at once.

Each participant follows `k` distinct components in random order, the first starting on the
enrolment day and each next one a few weeks after the previous start.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sample_data.generator.common import CUTOFF, NO_DATE, exact_choice, exact_flags


@dataclass(frozen=True)
class ComponentPlan:
    components: tuple[str, ...]
    counts: dict[int, float]  # number of components followed -> share of participants
    hours: tuple[int, int]  # hours of a completed component, inclusive range
    days_per_hour: tuple[float, float]  # calendar days a component lasts per hour of it
    gap_days: tuple[int, int]  # days between the starts of consecutive components
    completed_share: float


def _grid(rng: np.random.Generator, enrolment: np.ndarray, plan: ComponentPlan):
    """Per participant x slot: component index, start, hours, duration; and which slots are used."""
    n, width = len(enrolment), len(plan.components)
    k = exact_choice(rng, n, list(plan.counts), list(plan.counts.values()))
    order = np.argsort(rng.random((n, width)), axis=1)
    gaps = rng.integers(plan.gap_days[0], plan.gap_days[1] + 1, (n, width))
    gaps[:, 0] = 0
    start = enrolment[:, None] + np.cumsum(gaps, axis=1)
    hours = rng.integers(plan.hours[0], plan.hours[1] + 1, (n, width))
    duration = np.maximum(7, np.round(hours * rng.uniform(*plan.days_per_hour, (n, width)))).astype(np.int64)
    used = np.arange(width)[None, :] < k[:, None]
    return order, start, hours, duration, used


def _ends(rng: np.random.Generator, start, duration, first, floor, limit, share: float):
    """End day (NO_DATE while open), share of the planned hours attended, completed flag."""
    completed = exact_flags(rng, len(start), share)
    attended = np.where(completed, 1.0, rng.uniform(0.2, 0.8, len(start)))
    end = start + np.round(duration * attended).astype(np.int64)
    end = np.where(first, np.maximum(end, floor), end)
    end = np.where(limit < CUTOFF, np.minimum(end, limit), end)
    open_ = end > CUTOFF
    attended = np.where(open_, np.clip((CUTOFF - start) / duration, 0.05, 1.0), attended)
    return np.where(open_, NO_DATE, end), attended, completed & ~open_


def participations(rng: np.random.Generator, pid: np.ndarray, enrolment: np.ndarray, plan: ComponentPlan,
                   first_end_min: np.ndarray | None = None, last_day: np.ndarray | None = None) -> dict:
    """Columns of the participations of participants `pid` enrolled on `enrolment` (day numbers).

    `first_end_min`: earliest end of each participant's first component (to run into a period);
    `last_day`: last day of activity per participant (later starts are dropped, ends clipped).
    Ends after the data cut-off stay open (no end date, not completed, hours attended so far).
    """
    component, start, hours, duration, used = _grid(rng, enrolment, plan)
    n, width = start.shape
    first = np.zeros((n, width), dtype=bool)
    first[:, 0] = True
    limit = np.broadcast_to((CUTOFF if last_day is None else last_day[:, None]), (n, width))
    floor = np.broadcast_to((NO_DATE if first_end_min is None else first_end_min[:, None]), (n, width))
    keep = used & (start <= limit - 7)
    rows = np.flatnonzero(keep.ravel())
    pick = lambda a: np.asarray(a).ravel()[rows]  # noqa: E731
    start, duration = pick(start), pick(duration)
    end, attended, completed = _ends(rng, start, duration, pick(first), pick(floor), pick(limit),
                                     plan.completed_share)
    return {
        "participant_id": np.repeat(pid, keep.sum(axis=1)),
        "component": np.asarray(plan.components, dtype=object)[pick(component)],
        "start_date": start,
        "end_date": end,
        "hours": np.maximum(1, np.round(pick(hours) * attended)).astype(float),
        "completed": completed,
    }
