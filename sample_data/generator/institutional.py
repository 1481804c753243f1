"""Institutional results: municipal migration policies and migrant base organisations.

Both are small fixed lists (they do not grow with the scale); dates, members and capacity
indices are drawn from the seed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_loaders.schemas import POLICY_STATUSES
from sample_data.generator.common import CUTOFF, day, exact_choice, uniform_int
from sample_data.generator.places import resolve

# (country, department code, municipality, policy name, last status reached)
POLICIES = (
    ("GTM", "13", "Huehuetenango", "Política Municipal de Migración y Retorno de Huehuetenango", "in_implementation"),
    ("GTM", "13", "Cuilco", "Política Municipal de Migración de Cuilco", "approved"),
    ("GTM", "13", "Santa Eulalia", "Política Municipal de Migración y Retorno de Santa Eulalia", "in_design"),
    ("GTM", "12", "San Marcos", "Política Municipal de Movilidad Humana de San Marcos", "in_implementation"),
    ("GTM", "12", "Tacaná", "Política Municipal de Migración de Tacaná", "approved"),
    ("GTM", "09", "Quetzaltenango", "Política Municipal de Atención al Migrante de Quetzaltenango",
     "in_implementation"),
    ("GTM", "08", "Momostenango", "Política Municipal de Migración de Momostenango", "in_design"),
    ("GTM", "14", "Santa Cruz del Quiché", "Política Municipal de Migración y Retorno de Santa Cruz del Quiché",
     "approved"),
    ("BOL", "02", "Desaguadero", "Plan Municipal de Movilidad Humana y Prevención de la Trata de Desaguadero",
     "in_implementation"),
    ("PER", "21", "Desaguadero", "Ordenanza Distrital de Protección en Movilidad Humana de Desaguadero", "approved"),
)
DESIGN_START = ("2022-06-01", "2024-01-31")
STEP_DAYS = {"approved": (120, 300), "in_implementation": (60, 200)}  # after the previous status

# (organisation name, department code, municipality of its seat)
ORGANISATIONS = (
    ("AMIDEGA", "13", "Huehuetenango"),
    ("Asociación de Mujeres Retornadas de San Marcos", "12", "San Marcos"),
    ("Red de Jóvenes Retornados de Cuilco", "13", "Cuilco"),
    ("Cooperativa de Emprendedores Retornados de Totonicapán", "08", "Totonicapán"),
    ("Colectivo de Personas Retornadas de Quetzaltenango", "09", "Quetzaltenango"),
    ("Asociación Comunitaria de Retorno de Santa Eulalia", "13", "Santa Eulalia"),
)
DECLINING_SHARE = 1 / 6  # organisations whose capacity index did not improve


def _code(country: str, department: str, name: str) -> str:
    return resolve(country, [(department, name, 1.0)])["municipality_code"].iloc[0]


def _history(rng: np.random.Generator, last_status: str) -> list[tuple[str, int]]:
    """(status, date) for each status up to `last_status`, stopping at the data cut-off."""
    date = int(uniform_int(rng, day(DESIGN_START[0]), day(DESIGN_START[1])))
    history = [("in_design", date)]
    for status in POLICY_STATUSES[1: POLICY_STATUSES.index(last_status) + 1]:
        date += int(uniform_int(rng, *STEP_DAYS[status]))
        if date > CUTOFF:
            break
        history.append((status, date))
    return history


def municipal_policies(rng: np.random.Generator) -> pd.DataFrame:
    """One row per status each municipal policy reached, with its date."""
    rows = []
    for country, department, town, name, last_status in POLICIES:
        code = _code(country, department, town)
        rows += [(country, code, name, status, date) for status, date in _history(rng, last_status)]
    return pd.DataFrame(rows, columns=["country", "municipality_code", "policy_name", "status", "status_date"])


def base_organisations(rng: np.random.Generator) -> pd.DataFrame:
    """The migrant base organisations, with members and capacity at baseline and follow-up."""
    n = len(ORGANISATIONS)
    baseline = rng.uniform(0.25, 0.55, n)
    declining = exact_choice(rng, n, [True, False], [DECLINING_SHARE, 1 - DECLINING_SHARE])
    change = np.where(declining, rng.uniform(-0.05, 0.0, n), rng.uniform(0.08, 0.3, n))
    return pd.DataFrame({
        "organisation_id": [f"ORG-{k:02d}" for k in range(1, n + 1)],
        "name": [name for name, _, _ in ORGANISATIONS],
        "country": "GTM",
        "municipality_code": [_code("GTM", d, m) for _, d, m in ORGANISATIONS],
        "members": rng.integers(12, 151, n),
        "capacity_baseline": np.round(baseline, 2),
        "capacity_follow_up": np.round(np.clip(baseline + change, 0, 1), 2),
    })
