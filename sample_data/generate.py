"""Seeded, deterministic, entirely synthetic sample data for the dashboard (no real person).

    python -m sample_data.generate --scale 1 --seed 2024 --out sample_data [--no-raw]

Writes the nine canonical CSV files of `data_loaders.schemas.DATASETS` and, unless `--no-raw`,
the raw form exports (`sample_data.raw_exports`). The same seed and scale give byte-identical
files; at scale s every count of people and sessions is multiplied by s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from data_loaders.schemas import DATASETS, PROGRAMMES
from sample_data.generator import institutional, miska, network, outcomes, prevention, regional, sessions, \
    surveys, ties
from sample_data.generator.common import frame, hex_ids, unique_numbers
from sample_data.generator.csv_format import write_csv

__all__ = ["generate", "write_csv", "main"]

SAMPLE_DIR = Path(__file__).resolve().parent

# One independent random stream per part, so that changing one part leaves the others as they are.
STREAMS = ("ids", "miska", "outcomes", "surveys", "network", "ties", "agents", "sessions", "regional",
           "institutional")


def _streams(seed: int) -> dict[str, np.random.Generator]:
    children = np.random.SeedSequence(seed).spawn(len(STREAMS))
    return dict(zip(STREAMS, (np.random.default_rng(child) for child in children)))


def _concat(blocks: list[dict]) -> dict:
    return {name: np.concatenate([np.asarray(block[name]) for block in blocks]) for name in blocks[0]}


def _people(rng: dict[str, np.random.Generator], scale: int, inst: pd.DataFrame) -> tuple[dict, dict, dict, dict]:
    """Participants, participations, outcomes, surveys of all lines, with global integer ids."""
    miska_people = miska.participants(rng["miska"], scale)
    miska_parts = miska.miska_participations(rng["miska"], miska_people)
    miska_outcomes = outcomes.miska_outcomes(rng["outcomes"], scale, miska_people, miska_parts)
    miska_surveys = surveys.reintegration_surveys(rng["surveys"], miska_people, miska_parts, miska_outcomes)
    agent_people, agent_parts = prevention.agents(rng["agents"], scale, inst)
    regional_people, regional_parts = regional.regional(rng["regional"], scale)
    miska_people.pop("cohort")
    offsets = np.cumsum([0, len(miska_people["participant_id"]), len(agent_people["participant_id"])])
    for block, offset in ((agent_people, offsets[1]), (agent_parts, offsets[1]),
                          (regional_people, offsets[2]), (regional_parts, offsets[2])):
        block["participant_id"] = block["participant_id"] + offset
    people = _concat([miska_people, agent_people, regional_people])
    parts = _concat([miska_parts, agent_parts, regional_parts])
    return people, parts, miska_outcomes, miska_surveys


def _with_ids(rng: np.random.Generator, people: dict, children: dict[str, tuple[dict, tuple[str, ...]]]) -> dict:
    """Replace integer ids by pseudonymous ones and sort every person-level table.

    Participants are ordered by programme, enrolment date and id; the rows of each child table
    (columns, sort keys) follow the order of their participant, then the sort keys.
    """
    numbers = unique_numbers(rng, len(people["participant_id"]))
    ids = hex_ids(numbers)
    programme = pd.Index(PROGRAMMES).get_indexer(people["programme"])
    order = np.lexsort((numbers, people["enrolment_date"], programme))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    tables = {"participants": {**{k: v[order] for k, v in people.items()}, "participant_id": ids[order]}}
    for name, (columns, keys) in children.items():
        index = columns["participant_id"]
        child_order = np.lexsort(tuple(columns[k] for k in reversed(keys)) + (rank[index],))
        tables[name] = {**{k: v[child_order] for k, v in columns.items()}, "participant_id": ids[index[child_order]]}
    return tables


def _finish(name: str, data) -> pd.DataFrame:
    """Frame in schema column order, with day numbers as dates."""
    return frame(dict(data.items()))[list(DATASETS[name].columns)]


def generate(scale: int = 1, seed: int = 2024) -> dict[str, pd.DataFrame]:
    """All nine datasets (name -> frame, in `schemas.DATASETS` order) for a scale and a seed."""
    if scale < 1:
        raise ValueError(f"scale must be a positive integer, got {scale}")
    rng = _streams(seed)
    inst = network.institutions(rng["network"])
    people, parts, outcome_rows, survey_rows = _people(rng, scale, inst)
    tables = _with_ids(rng["ids"], people, {
        "participations": (parts, ("start_date", "component")),
        "outcomes": (outcome_rows, ("date", "outcome")),
        "reintegration_surveys": (survey_rows, ("round",)),
    })
    tables |= {
        "awareness_sessions": sessions.awareness_sessions(rng["sessions"], scale, inst),
        "network_institutions": inst,
        "network_ties": ties.ties(rng["ties"], inst),
        "municipal_policies": institutional.municipal_policies(rng["institutional"]),
        "base_organisations": institutional.base_organisations(rng["institutional"]),
    }
    return {name: _finish(name, tables[name]) for name in DATASETS}


def validate(frames: dict[str, pd.DataFrame]) -> None:
    """Validate every frame against its schema (lazy: all problems reported at once)."""
    for name, schema in DATASETS.items():
        schema.validate(frames[name], lazy=True)


def _write_raw(out_dir: Path) -> None:
    try:
        from sample_data.raw_exports import write_raw_exports
    except ModuleNotFoundError as exc:
        if exc.name != "sample_data.raw_exports":
            raise
        print("Raw exports skipped: sample_data/raw_exports.py does not exist yet "
              "(it writes the KoboToolbox XLSX and the field-team CSV).", file=sys.stderr)
        return
    write_raw_exports(out_dir, out_dir / "raw")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="multiply people and sessions by this (default 1)")
    parser.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR, help="output folder (default: this sample_data folder)")
    parser.add_argument("--no-raw", action="store_true", help="do not write the raw form exports")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    frames = generate(args.scale, args.seed)
    validate(frames)
    write_csv(frames, args.out)
    if not args.no_raw:
        _write_raw(args.out)
    rows = ", ".join(f"{name} {len(f):,}" for name, f in frames.items())
    print(f"Wrote {args.out} (scale {args.scale}, seed {args.seed}) in {time.perf_counter() - started:.1f} s: {rows}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
