"""Awareness sessions run by prevention agents: aggregated attendance by sex x age group.

Attendance in the reporting period adds up exactly to the planned total; most sessions are
for students (0-17) at schools, on school days.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_loaders.schemas import ATTENDANCE_COLUMNS
from sample_data.generator.common import allocate, day, exact_choice, scaled, uniform_int
from sample_data.generator.prevention import institution_weights

# At scale 1: (label, sessions, total attendance, first day, last day).
GROUPS = (
    ("late_2022", 3, 45, "2022-10-03", "2022-12-09"),
    ("in_period", 95, 1550, "2023-01-01", "2024-12-31"),
    ("2025", 5, 80, "2025-01-13", "2025-06-20"),
)
MIN_ATTENDANCE = 3
AUDIENCES = {"students": 0.6, "parents": 0.12, "teachers": 0.08, "community": 0.15, "authorities": 0.05}
AUDIENCE_SIZE = {"students": 1.0, "parents": 0.5, "teachers": 0.35, "community": 0.6, "authorities": 0.3}
# Share of each attendance column (schemas.ATTENDANCE_COLUMNS order) by audience.
ATTENDANCE_SPLIT = {
    "students": (0.46, 0.02, 0.02, 0.46, 0.02, 0.02),
    "parents": (0.02, 0.15, 0.45, 0.01, 0.07, 0.30),
    "teachers": (0.0, 0.15, 0.40, 0.0, 0.10, 0.35),
    "community": (0.10, 0.20, 0.25, 0.08, 0.15, 0.22),
    "authorities": (0.0, 0.15, 0.35, 0.0, 0.15, 0.35),
}
TOPICS = {"trafficking_prevention": 0.3, "gender_violence": 0.2, "safe_migration": 0.2,
          "child_protection": 0.2, "digital_safety": 0.1}
FACILITATORS = {1: 0.25, 2: 0.4, 3: 0.25, 4: 0.1}
QUIET_MONTHS = {1: 0.2, 2: 0.5, 7: 0.6, 12: 0.4}  # school holidays on the Altiplano
WEEKEND_WEIGHT = 0.15


def _day_weights(first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    days = np.arange(first, last + 1)
    dates = pd.DatetimeIndex(days.astype("datetime64[D]"))
    weights = dates.month.map(lambda m: QUIET_MONTHS.get(m, 1.0)).to_numpy(dtype=float)
    weights = weights * np.where(dates.day_of_week >= 5, WEEKEND_WEIGHT, 1.0)
    return days, weights / weights.sum()


def _hosts(rng: np.random.Generator, audience: np.ndarray, inst: pd.DataFrame, eligible: np.ndarray) -> np.ndarray:
    """Row of `inst` hosting each session: a school for students, any institution otherwise."""
    weights = institution_weights(inst) * eligible
    school = (inst["type"] == "school").to_numpy()
    host = np.empty(len(audience), dtype=np.int64)
    for students, w in ((True, weights * school), (False, weights)):
        rows = np.flatnonzero((audience == "students") == students)
        host[rows] = rng.choice(len(inst), size=len(rows), p=w / w.sum())
    return host


def _group(rng: np.random.Generator, scale: int, group: tuple, inst: pd.DataFrame) -> dict:
    label, sessions, attendance, first, last = group
    n = scaled(sessions, scale)
    audience = exact_choice(rng, n, list(AUDIENCES), list(AUDIENCES.values()))
    joined = inst["joined_date"].to_numpy()
    host = _hosts(rng, audience, inst, joined < day(first) - 7 if label == "late_2022" else np.ones(len(inst)))
    days, p = _day_weights(day(first), day(last))
    date = rng.choice(days, size=n, p=p)
    low = np.maximum(joined[host] + 7, day(first))
    date = np.where(date < low, uniform_int(rng, low, day(last)), date)
    size_weight = rng.gamma(4.0, 1.0, n) * pd.Series(audience).map(AUDIENCE_SIZE).to_numpy()
    total = allocate(scaled(attendance, scale) - MIN_ATTENDANCE * n, size_weight) + MIN_ATTENDANCE
    split = np.array([ATTENDANCE_SPLIT[a] for a in AUDIENCES])[pd.Index(list(AUDIENCES)).get_indexer(audience)]
    counts = rng.multinomial(total, split)
    return {"date": date, "host": host, "topic": exact_choice(rng, n, list(TOPICS), list(TOPICS.values())),
            "audience": audience, "counts": counts,
            "facilitating_agents": exact_choice(rng, n, list(FACILITATORS), list(FACILITATORS.values()))}


def awareness_sessions(rng: np.random.Generator, scale: int, inst: pd.DataFrame) -> pd.DataFrame:
    """The awareness sessions, numbered in date order (dates as day numbers)."""
    blocks = [_group(rng, scale, group, inst) for group in GROUPS]
    data = {name: np.concatenate([b[name] for b in blocks]) for name in blocks[0]}
    order = np.lexsort((data["host"], data["date"]))
    data = {name: values[order] for name, values in data.items()}
    host, n = data["host"], len(order)
    width = max(6, len(str(n)))
    return pd.DataFrame({
        "session_id": np.char.add("S", np.char.zfill(np.arange(1, n + 1).astype(str), width)),
        "date": data["date"],
        "country": inst["country"].to_numpy()[host],
        "municipality_code": inst["municipality_code"].to_numpy()[host],
        "institution_id": inst["institution_id"].to_numpy()[host],
        "topic": data["topic"],
        "audience": data["audience"],
        **{column: data["counts"][:, i] for i, column in enumerate(ATTENDANCE_COLUMNS)},
        "facilitating_agents": data["facilitating_agents"],
    })
