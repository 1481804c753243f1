"""One municipality against its department and the programme: comparison frames, plain-language sentences,
municipal policy status and base organisations as aggregates. Pure functions: the caller passes the data.

Levels are "municipality", "department" and "reference" (the whole programme); a municipal
official's profile has the first two only (their scope holds no wider total).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

import i18n

LEVELS = ("municipality", "department", "reference")
MISKA_FIGURES = ("miska_participants", "miska_employed", "miska_enterprises")
NETWORK_FIGURES = ("agents_trained", "people_sensitized")
COUNT_FIGURES = ("people_served", *MISKA_FIGURES, *NETWORK_FIGURES)


@dataclass(frozen=True)
class Figure:
    """A published count: `value` is None when the cell is protected (suppressed); `hidden` says which kind
    of hidden it is (`i18n.HIDDEN_KINDS`; None when unknown, read as withheld)."""

    value: int | None
    suppressed: bool = False
    hidden: str | None = None

    @classmethod
    def from_row(cls, row) -> "Figure":
        suppressed = bool(row["suppressed"]) or pd.isna(row["value"])
        kind = row.get("hidden") if suppressed else None
        return cls(None if suppressed else int(row["value"]), suppressed,
                   None if kind is None or pd.isna(kind) else str(kind))


    @property
    def present(self) -> bool:
        """Someone is counted (a protected cell means 1 to k-1 people, so someone is)."""
        return self.suppressed or bool(self.value)


@dataclass(frozen=True)
class Place:
    country: str
    code: str
    name: str
    department_code: str
    department_name: str


@dataclass(frozen=True)
class MunicipalProfile:
    """Everything the page and the factsheet show for one municipality, already protected."""

    place: Place
    start: dt.date
    end: dt.date
    levels: tuple[str, ...]  # LEVELS, or its first two for a municipal official
    figures: dict[str, dict[str, Figure]]  # indicator id -> level -> figure
    pyramid: pd.DataFrame  # municipality: sex, age_group, value, suppressed
    age_order: list[str]
    sex_age: pd.DataFrame  # level, sex, age_group, value, suppressed
    profiles: pd.DataFrame  # level, migration_profile, value, suppressed
    components: pd.DataFrame  # level, component, value, suppressed
    policies: pd.DataFrame  # policy_name, status, status_date (latest status of each policy)
    organisations: pd.DataFrame  # name, members
    data_date: dt.date | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def figure(self, indicator_id: str, level: str = "municipality") -> Figure:
        return self.figures[indicator_id][level]

    @property
    def has_activity(self) -> bool:
        """Any programme activity recorded in the municipality in the period, or a policy or organisation."""
        counted = any(self.figure(i).present for i in COUNT_FIGURES)
        return counted or not self.policies.empty or not self.organisations.empty

    @property
    def miska_works_here(self) -> bool:
        return any(self.figure(i).present for i in MISKA_FIGURES)

    @property
    def network_works_here(self) -> bool:
        return any(self.figure(i).present for i in NETWORK_FIGURES)


def figure_of(frame: pd.DataFrame) -> Figure:
    """The single published figure of an indicator total frame (one row: value, suppressed)."""
    return Figure.from_row(frame.iloc[0])


def protect_components(counts: pd.DataFrame, base: Figure, threshold: int) -> pd.DataFrame:
    """People per component (component, value, suppressed, hidden) with small cells protected.

    A component count c is protected when 1 <= c < k, and also when the people served
    beside it (`base`) minus c is 1 to k-1: "all but two followed it" would single those two out.
    A hidden count reads "fewer than k" when it is, "hidden" when it protects the rest beside a
    published base; beside a hidden base every hidden count is withheld (its class would tell
    something of the base). With fewer than 2k-1 people served, "hidden" (at least k) would pin
    the rest down to less than the audit's margin: such a count is withheld (no class at all).
    """
    out = counts[["component", "value"]].copy()
    values = out["value"].astype("Int64")
    small = (values >= 1) & (values < threshold)
    hidden = small.copy()
    if base.value is not None:
        rest = base.value - values
        hidden |= (rest >= 1) & (rest < threshold)
    elif base.suppressed:
        hidden |= values >= 1
    narrow = base.value is not None and _narrow(base.value, threshold)
    kinds = [None if not h else i18n.WITHHELD if base.value is None else i18n.SMALL if s
             else i18n.WITHHELD if narrow else i18n.PROTECTING
             for h, s in zip(hidden.fillna(False), small.fillna(False))]
    out["value"] = values.mask(hidden)
    out["suppressed"] = hidden.to_numpy(dtype=bool)
    out["hidden"] = pd.Series(kinds, index=out.index, dtype=object)
    return out.reset_index(drop=True)


def _narrow(people_served: int, k: int) -> bool:
    """Too few people served for "hidden" (at least k) to protect the people beside a hidden count: withhold it."""
    return people_served < 2 * k - 1


def department_columns(counts: pd.DataFrame, department_totals: dict[tuple, tuple[int, bool]],
                       bases: dict[tuple, int | None], k: int, margin: int) -> dict[tuple, str]:
    """Which municipal component counts must be hidden beyond `protect_components`, because their department's
    count is published elsewhere (the Reintegration page's people per MISKA component): the department's count
    minus the other municipalities' counts would otherwise give a hidden one away.

    counts: country, department_code, municipality_code, component, value (every municipality, one period);
    department_totals: (country, department, component) -> (true count, published); bases: (country,
    municipality) -> its people served, None where hidden. Returns (country, municipality, component) -> the
    kind of hidden (`i18n.PROTECTING`, or `i18n.WITHHELD` for a column withheld as a whole) of each count that
    the per-municipality rule leaves shown. Each column is one table: the department's count, its
    municipalities' counts, their people served and the people between (never shown), protected by
    `privacy.protect`; when only hiding the department's count or a published people served could protect
    it, the column is withheld as a whole.
    """
    from privacy.cells import CellTable
    from privacy.rules import is_small
    from privacy.suppression import protect

    extra: dict[tuple, str] = {}
    for (country, department, component), column in counts.groupby(["country", "department_code", "component"]):
        if (country, department, component) not in department_totals:
            continue
        total, total_published = department_totals[(country, department, component)]
        values, relations, unpublished = {("department",): total}, [], set() if total_published else {("department",)}
        parts, withheld = [], []
        for code, value in zip(column["municipality_code"], column["value"].astype(int)):
            base = bases.get((country, code))
            if base is None or (_narrow(base, k) and is_small(base - value, k)):
                withheld.append((code, value))  # withheld by the per-municipality rule: no class of it is known
                continue
            cell = ("count", code)
            values[cell] = value
            parts.append(cell)
            if base >= value:
                values[("base", code)], values[("rest", code)] = base, base - value
                relations.append((("base", code), (cell, ("rest", code))))
                unpublished.add(("rest", code))
        # What the department's count holds beside the counts in the table: people with no municipality and the
        # withheld counts, known to an attacker only by difference.
        unknown = total - sum(values[c] for c in parts)
        if unknown < sum(v for _, v in withheld):  # the two counts disagree: show nothing that cannot be tied
            extra.update({(country, code, component): i18n.WITHHELD for code, v in
                          [*withheld, *((c[1], values[c]) for c in parts)] if v})
            continue
        values[("unknown",)] = unknown
        unpublished.add(("unknown",))
        relations.append((("department",), (*parts, ("unknown",))))
        importance = lambda cell: {"department": 100, "base": 50}.get(cell[0], 0)  # noqa: E731
        hidden = protect(CellTable(values, relations), k, margin, unpublished, importance)
        fixed = {c for c in hidden - unpublished if c[0] in ("department", "base")}
        for cell in (c for c in parts if values[c]):
            if fixed:
                extra[(country, cell[1], component)] = i18n.WITHHELD
            elif cell in hidden:
                extra[(country, cell[1], component)] = i18n.SMALL if is_small(values[cell], k) else i18n.PROTECTING
    return extra


def latest_policy_status(policies: pd.DataFrame) -> pd.DataFrame:
    """The status each policy reached last (policy_name, status, status_date), by name."""
    if policies.empty:
        return pd.DataFrame(columns=["policy_name", "status", "status_date"])
    ordered = policies.sort_values(["policy_name", "status_date"], kind="stable")
    latest = ordered.groupby("policy_name", sort=True).tail(1)
    return latest[["policy_name", "status", "status_date"]].reset_index(drop=True)


def organisations_summary(organisations: pd.DataFrame) -> pd.DataFrame:
    """Base organisations with their seat in the municipality: public name and members (aggregate)."""
    return organisations[["name", "members"]].sort_values("name").reset_index(drop=True)


def comparison_frame(profile: MunicipalProfile, lang: str) -> pd.DataFrame:
    """The comparison table: one row per figure, one column per level, values formatted (hidden ones read
    as their kind: `format_figure`)."""
    rows: list[tuple[str, dict[str, Figure]]] = [
        (i18n.translate("indicator.people_served.label", lang), profile.figures["people_served"]),
    ]
    for category in dict.fromkeys(profile.profiles["migration_profile"]):
        cells = profile.profiles[profile.profiles["migration_profile"] == category].set_index("level")
        rows.append(("   " + i18n.translate(f"migration_profile.{category}", lang),
                     {level: Figure.from_row(cells.loc[level]) for level in profile.levels}))
    for indicator_id in (*MISKA_FIGURES, *NETWORK_FIGURES):
        rows.append((i18n.translate(f"indicator.{indicator_id}.label", lang), profile.figures[indicator_id]))
    headers = level_headers(profile, lang)
    return pd.DataFrame(
        [[label, *(format_figure(cells[level], lang) for level in profile.levels)] for label, cells in rows],
        columns=[i18n.translate("municipality.table.figure", lang), *headers],
    )


def sex_age_table(profile: MunicipalProfile, lang: str) -> pd.DataFrame:
    """People served by sex x age group at each level, formatted as `format_figure` reads them."""
    rows = []
    for (sex, age), cells in profile.sex_age.groupby(["sex", "age_group"], sort=False):
        cells = cells.set_index("level")
        label = f"{i18n.translate(f'sex.{sex}', lang)}, {i18n.translate(f'age_group.{age}', lang)}"
        rows.append([label, *(format_figure(Figure.from_row(cells.loc[level]), lang) for level in profile.levels)])
    return pd.DataFrame(rows, columns=[i18n.translate("municipality.table.group", lang),
                                       *level_headers(profile, lang)])


def component_levels(profile: MunicipalProfile) -> tuple[str, ...]:
    """The levels whose people per component are published: the municipality only. Its department's count
    beside the counts of the department's municipalities (each on its own page) would give a hidden one away
    (docs/privacy.md)."""
    return tuple(level for level in profile.levels if level in set(profile.components["level"]))


def component_rows(profile: MunicipalProfile) -> list[tuple[str, dict[str, Figure]]]:
    """(component, figure by level) for the components anyone in the municipality followed (or hidden)."""
    rows = []
    for component, cells in profile.components.groupby("component", sort=False):
        cells = cells.set_index("level")
        figures = {level: Figure.from_row(cells.loc[level]) for level in component_levels(profile)}
        if figures and figures[component_levels(profile)[0]].present:
            rows.append((component, figures))
    return rows


def component_table(profile: MunicipalProfile, lang: str) -> pd.DataFrame:
    """People per component in the municipality (`component_rows`), as the page shows them."""
    levels = component_levels(profile)
    rows = [[i18n.translate(f"municipality.component.{component}", lang),
             *(format_figure(figures[level], lang) for level in levels)] for component, figures in component_rows(profile)]
    return pd.DataFrame(rows, columns=[i18n.translate("municipality.table.component", lang),
                                       *level_headers(profile, lang, levels)])


def level_headers(profile: MunicipalProfile, lang: str, levels: tuple[str, ...] | None = None) -> list[str]:
    """Column titles: the municipality, its department and the programme (or the programme in the country)."""
    department = i18n.translate("municipality.level.department", lang, name=profile.place.department_name)
    names = {"municipality": profile.place.name, "department": department,
             "reference": i18n.translate("municipality.level.programme", lang)}
    return [names[level] for level in (profile.levels if levels is None else levels)]


def hidden_kinds(profile: MunicipalProfile, table: str) -> list[str | None]:
    """The kinds of the hidden figures one table of the page shows: 'comparison', 'sex_age' or 'components'."""
    figures = [f for cells in profile.figures.values() for f in cells.values()] if table == "comparison" else []
    frame = {"comparison": profile.profiles, "sex_age": profile.sex_age, "components": profile.components}[table]
    figures += [Figure.from_row(row) for _, row in frame.iterrows()]
    return [figure.hidden for figure in figures if figure.suppressed]


def format_figure(figure: Figure, lang: str) -> str:
    """The figure as a person reads it: the number, or the reading of its kind of hidden ('menos de 5' …)."""
    return i18n.hidden_mark(figure.hidden, lang) if figure.suppressed else i18n.format_number(figure.value, lang)


def _count(figure: Figure, lang: str) -> str:
    """The figure's number, or 'menos de 5' / 'fewer than 5' for a small hidden one (the page reads it so)."""
    return format_figure(figure, lang)


def _sentence(key: str, figure: Figure, lang: str, **params: object) -> str:
    """The sentence `key` with the figure ('menos de 5 personas …' when it is small), or its '.protected'
    variant that names no number when it is hidden for another reason."""
    if figure.suppressed and figure.hidden != i18n.SMALL:
        return i18n.translate(f"{key}.protected", lang, **params)
    return i18n.translate(key, lang, count=_count(figure, lang), **params)


def _employed_clause(employed: Figure, lang: str) -> str:
    if employed.suppressed:
        small = employed.hidden == i18n.SMALL
        return i18n.translate("municipality.sentence.employed." + ("small" if small else "protected"), lang,
                              count=_count(employed, lang))
    if employed.value:
        return i18n.translate("municipality.sentence.employed", lang, count=_count(employed, lang))
    return i18n.translate("municipality.sentence.employed.none", lang)


def _miska_sentence(profile: MunicipalProfile, place: str, lang: str) -> str:
    participants, employed = profile.figure("miska_participants"), profile.figure("miska_employed")
    first = _sentence("municipality.sentence.miska", participants, lang, place=place)
    return f"{first}; {_employed_clause(employed, lang)}."


def sentences(profile: MunicipalProfile, lang: str) -> list[str]:
    """Plain sentences a mayor's office can read, from the same figures as the page.

    A small hidden figure reads as the page reads it ('menos de 5 personas …', a class the protection already
    assumes known); a figure hidden for another reason gives a sentence that says it is protected, with no number.
    """
    place = profile.place.name
    period = i18n.translate("municipality.period", lang, start=profile.start.year, end=profile.end.year) \
        if profile.start.year != profile.end.year else str(profile.start.year)
    if not profile.has_activity:
        return [i18n.translate("municipality.sentence.no_activity", lang, place=place, period=period)]
    out = []
    served = profile.figure("people_served")
    if served.present:
        out.append(_sentence("municipality.sentence.served", served, lang, place=place, period=period))
        if "department" in profile.levels:  # the department's figure of the comparison table, said in words
            out.append(_sentence("municipality.sentence.served.department", profile.figure("people_served", "department"),
                                 lang, department=profile.place.department_name))
    if profile.miska_works_here:
        out.append(_miska_sentence(profile, place, lang))
        enterprises = profile.figure("miska_enterprises")
        if enterprises.present:
            out.append(_sentence("municipality.sentence.enterprises", enterprises, lang))
    if profile.network_works_here:
        agents, sensitized = profile.figure("agents_trained"), profile.figure("people_sensitized")
        if agents.present:
            out.append(_sentence("municipality.sentence.agents", agents, lang, place=place))
        if sensitized.present:
            out.append(_sentence("municipality.sentence.sensitized", sensitized, lang))
    for row in profile.policies.itertuples(index=False):
        out.append(i18n.translate(
            "municipality.sentence.policy", lang, policy=row.policy_name,
            status=i18n.translate(f"municipality.policy_status.{row.status}", lang),
            date=i18n.format_date(pd.Timestamp(row.status_date).date(), lang)))
    if not profile.organisations.empty:
        names = ", ".join(profile.organisations["name"])
        key = "municipality.sentence.organisations" + (".one" if len(profile.organisations) == 1 else "")
        out.append(i18n.translate(key, lang, count=len(profile.organisations), names=names))
    return [sentence[:1].upper() + sentence[1:] for sentence in out]  # "menos de 5 personas …" opens a sentence


def comparison_title(profile: MunicipalProfile, lang: str) -> str:
    suffix = "" if "reference" in profile.levels else ".territorial"
    return i18n.translate(f"municipality.comparison{suffix}", lang)


def has_published_people(frame: pd.DataFrame) -> bool:
    """Whether a breakdown has at least one published count above zero (else a chart would show nothing)."""
    return bool((frame["value"].astype("Float64").fillna(0) > 0).any())
