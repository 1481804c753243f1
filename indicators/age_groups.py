"""Age bracket sets used to disaggregate people by age group, and their SQL form.

Each set is an ordered tuple of (code, lowest age, highest age or None); codes are stable
identifiers, labels come from i18n (`age_group.<code>`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BracketSet:
    id: str
    brackets: tuple[tuple[str, int, int | None], ...]
    youth_group: str | None  # the bracket counted as "young" for youth shares, if any
    source: str  # i18n key of where the definition comes from


BRACKET_SETS: dict[str, BracketSet] = {
    "un_youth": BracketSet(
        "un_youth",
        (("0_14", 0, 14), ("15_24", 15, 24), ("25_34", 25, 34), ("35_49", 35, 49), ("50_plus", 50, None)),
        youth_group="15_24",
        source="age_set.un_youth.source",
    ),
    "gt_youth": BracketSet(
        "gt_youth",
        (("0_12", 0, 12), ("13_29", 13, 29), ("30_49", 30, 49), ("50_plus", 50, None)),
        youth_group="13_29",
        source="age_set.gt_youth.source",
    ),
    "children_adults": BracketSet(
        "children_adults",
        (("0_17", 0, 17), ("18_plus", 18, None)),
        youth_group=None,
        source="age_set.children_adults.source",
    ),
}
DEFAULT_BRACKET_SET = "un_youth"


def age_group_of(age: int, bracket_set: str) -> str:
    """The bracket code an age in years falls into."""
    for code, low, high in BRACKET_SETS[bracket_set].brackets:
        if age >= low and (high is None or age <= high):
            return code
    raise ValueError(f"age {age} is not covered by bracket set {bracket_set}")


def age_group_sql(column: str, bracket_set: str) -> str:
    """A SQL CASE expression mapping an age column to the bracket codes of a set."""
    cases = []
    for code, low, high in BRACKET_SETS[bracket_set].brackets:
        condition = f"{column} >= {low}" + ("" if high is None else f" AND {column} <= {high}")
        cases.append(f"WHEN {condition} THEN '{code}'")
    return "CASE " + " ".join(cases) + " END"


def age_class_lows() -> list[int]:
    """Every bracket's lowest age, across all sets: ages between two of them share a bracket in every set."""
    return sorted({low for bracket_set in BRACKET_SETS.values() for _, low, _ in bracket_set.brackets})


def age_class_sql(column: str) -> str:
    """A SQL expression replacing an age by the lowest age of its class (NULL and negative ages kept).

    Grouping people by class instead of age keeps every bracket of every set exact (the sets'
    brackets are contiguous, so each bracket is a union of classes) with far fewer groups.
    """
    cases = " ".join(f"WHEN {column} >= {low} THEN {low}" for low in reversed(age_class_lows()))
    return f"CASE {cases} ELSE {column} END"


def age_group_codes(bracket_set: str) -> list[str]:
    return [code for code, _, _ in BRACKET_SETS[bracket_set].brackets]
