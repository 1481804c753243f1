"""The publication family of a people indicator, read from the store (person facts) once per data version."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

import settings
from data_loaders.schemas import ATTENDANCE_AGE_GROUPS, ATTENDANCE_SEXES
from indicators import person_facts, reintegration_facts
from indicators.filters import default_period
from indicators.person_facts import FactsSource
from indicators.registry import get_indicator
from publication import family as family_module, miska, protection as protection_module
from publication.family import Family, Periods, attendance_frame, build_family, merge, people_frame, time_relations
from publication.protection import Protection, protect_family
from publication.published import PublishedFamily

LOG = logging.getLogger(__name__)

# The families protected as one (people counted once each), and the indicators in each: people
# served with the registry's MISKA outcomes and the Reintegration page's stages (publication.miska),
# which are tied to them; agents trained alone; the attendances at awareness sessions (counted in
# attendances, not people) alone. MISKA participants are people served of one
# programme (publication.published.family_of).
PROTECTED_FAMILIES = {"people": ("people_served", "miska_employed", "miska_enterprises"),
                      "agents_trained": ("agents_trained",), "people_sensitized": ("people_sensitized",)}
FAMILY_INDICATORS = tuple(i for members in PROTECTED_FAMILIES.values() for i in members)


def protected_family_id(name: str) -> str:
    """The protected family an indicator's cells belong to (a family id is its own)."""
    if name in PROTECTED_FAMILIES:
        return name
    return next(family for family, members in PROTECTED_FAMILIES.items() if name in members)


def periods_of(con: duckdb.DuckDBPyConnection) -> Periods:
    """The reporting period (settings) and every calendar year in which someone took part (the data)."""
    years = con.execute(
        "SELECT DISTINCT CAST(year(d) AS INTEGER) FROM (SELECT start_date AS d FROM participations "
        "UNION SELECT coalesce(end_date, start_date) FROM participations) WHERE d IS NOT NULL ORDER BY 1"
    ).fetchall()
    return Periods(default_period(), tuple(y for (y,) in years))


def attendance_family(con: duckdb.DuckDBPyConnection) -> Family:
    """Every cell of the attendances at awareness sessions, with the relations over time (they add up)."""
    cells = " UNION ALL ".join(
        f"SELECT country, left(municipality_code, 2) AS department_code, municipality_code, institution_id AS institution, "
        f"topic, audience, '{sex}' AS sex, '{age}' AS attendance_age_group, date, \"{sex}_{age}\" AS n "
        f"FROM awareness_sessions" for sex in ATTENDANCE_SEXES for age in ATTENDANCE_AGE_GROUPS)
    attendances = con.execute(f"SELECT * FROM ({cells}) WHERE n > 0").df()
    years = sorted({int(y) for y in pd.to_datetime(attendances["date"]).dt.year.unique()})
    periods = Periods(default_period(), tuple(years))
    family = build_family("people_sensitized", attendance_frame(attendances, periods), periods)
    family.relations += time_relations(family)
    return family


def people_family(con: duckdb.DuckDBPyConnection, indicator_id: str, periods: Periods | None = None,
                  facts: FactsSource | None = None) -> Family:
    """Every cell of a people indicator's family, with its true count (never published as such).

    `facts` gives the person facts already built for this data version (the app's cache),
    so they are not built a second time.
    """
    indicator = get_indicator(indicator_id)
    if indicator.kind != "people":
        raise ValueError(f"{indicator_id} is not counted in people; its family is not defined")
    periods = periods or periods_of(con)
    facts = (facts or (lambda wanted, unit: person_facts.build(con, wanted, unit)))(indicator, "quarter")
    if facts is None:
        raise ValueError(f"{indicator_id}: events span more quarters than a person-fact mask holds")
    frame = people_frame(facts.table.to_pandas(), facts.first, person_facts.MONTHS_PER_BIT["quarter"], periods)
    return build_family(indicator_id, frame, periods)


def protected_family(con: duckdb.DuckDBPyConnection, family_id: str, facts: FactsSource | None = None,
                     weights: dict[str, float] | None = None) -> Family:
    """Every cell of a protected family: its indicators' families, and for people, the MISKA stages tied to them.

    Without MISKA facts (dates spanning more quarters than a mask holds), or when they and the
    registry disagree, the stages are left out, and the Reintegration page withholds what it
    would have read from them.
    """
    if protected_family_id(family_id) == "people_sensitized":
        return attendance_family(con)
    periods = periods_of(con)
    members = {i: people_family(con, i, periods, facts) for i in PROTECTED_FAMILIES[protected_family_id(family_id)]}
    families, relations = list(members.values()), []
    miska_facts = reintegration_facts.build(con) if "miska_employed" in members else None
    if miska_facts is not None:
        try:
            stages, relations = miska.stage_families(miska_facts, periods, weights or settings.reintegration_weights(),
                                                     members)
            families += stages
        except ValueError as error:  # the stages are left out (not offered); every other figure is still published
            LOG.warning("Reintegration stages left out of the publication family: %s", error)
    joint = merge(families, protected_family_id(family_id))
    joint.relations += relations
    return joint


def fates_key(family: Family, k: int, margin: int) -> str:
    """A digest of everything the fates depend on: the counts, the relations, the rules and their code."""
    digest = hashlib.sha256()
    # Sorted: the order of the relations follows set iteration, which differs between processes (string hashing).
    for part in (sorted(map(repr, family.values.items())), sorted(map(repr, family.relations)),
                 sorted(map(repr, family.derived)), k, margin):
        digest.update(repr(part).encode())
    for module in (family_module, protection_module, miska):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:32]


def published_family(con: duckdb.DuckDBPyConnection, indicator_id: str, k: int, margin: int,
                     cache_dir: Path | None = None, facts: FactsSource | None = None) -> PublishedFamily:
    """The protected family of `indicator_id` (`protected_family_id`) with its fates, decided once for these
    counts and rules.

    Protecting takes seconds to a minute; the fates (no counts) are kept in `cache_dir` under
    a digest of the counts, the rules and the code, so a restart or another server process
    with the same data reuses them, and any change of data or rules decides them anew.
    """
    family = protected_family(con, indicator_id, facts)
    path = None if cache_dir is None else Path(cache_dir) / f"fates-{family.indicator}-{fates_key(family, k, margin)}.pickle"
    if path is not None and path.exists():
        try:
            protection = pickle.loads(path.read_bytes())
            if isinstance(protection, Protection) and set(protection.fates) == set(family.values):
                return PublishedFamily(family, protection)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            pass  # unreadable: decide again and overwrite it
    protection = protect_family(family, k, margin)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
                handle.write(pickle.dumps(protection))
            os.replace(handle.name, path)  # atomic: a process reading it never sees half a file
        except OSError:
            pass  # a read-only cache folder only costs the time to decide again
    return PublishedFamily(family, protection)
