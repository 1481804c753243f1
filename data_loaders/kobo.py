"""Read the MISKA registration form exported from KoboToolbox (a workbook or CSV) into participants.

Both export styles are accepted: XML names (with group paths such as `datos_personales/sexo`
or `datos_personales.sexo`, or without them) and Spanish labels (`Datos personales.Sexo …`).
Kobo's own columns (`_uuid`, `_submission_time`, …) are read past, free text
(`observaciones`) is never loaded, submissions marked "not approved" are left out, and the
select-multiple `componentes` becomes a tuple of canonical component codes in the extra
column `components`, checked against its 0/1 columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from data_loaders import kobo_form as form
from data_loaders.canonical import (LoadResult, SourceFormat, Vocabulary, choose_sheet, convert, finish,
                                   missing_columns, missing_required)
from data_loaders.errors import Problem, ValidationError, fixed
from data_loaders.headers import MUNICIPALITY_NAME, describe_column, map_headers
from data_loaders.readers import RawTable, load_table, load_tables
from data_loaders.report import Report
from data_loaders.text import key
from data_loaders.vocabulary import allowed_codes, parse_boolean, word_index

DATASET = "participants"


@dataclass
class KoboColumns:
    """What each header of the export is."""

    questions: dict[str, str] = field(default_factory=dict)  # header -> canonical column
    flags: dict[str, form.Choice] = field(default_factory=dict)  # header of a 0/1 column -> its choice
    free_text: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


GROUP_SEPARATORS = ("/", ".")  # KoboToolbox exports group paths with either


@lru_cache(maxsize=1)
def _question_index() -> dict[str, form.Question]:
    index = {}
    for q in form.QUESTIONS:
        index[key(q.name)] = q
        index[key(q.label)] = q
    return index


@lru_cache(maxsize=None)
def _choice_index(list_name: str) -> dict[str, form.Choice]:
    return {key(text): c for c in form.CHOICES[list_name] for text in (c.name, c.label)}


@lru_cache(maxsize=1)
def _group_keys() -> frozenset[str]:
    return frozenset(key(text) for name, label in form.GROUP_LABELS.items() for text in (name, label))


def _is_meta(header: str) -> bool:
    return header in form.META_COLUMNS or header.replace(".", "/") in form.META_COLUMNS \
        or any(header.split(sep)[-1] in form.META_COLUMNS for sep in GROUP_SEPARATORS) \
        or header.startswith(("_", "meta/", "meta."))


def has_kobo_meta(headers: list[str]) -> bool:
    """Whether the headers include columns KoboToolbox adds to every export (`_uuid`, `meta/instanceID`, …)."""
    return any(h in form.META_COLUMNS or h.replace(".", "/") in form.META_COLUMNS
               or any(h.split(sep)[-1] in form.META_COLUMNS for sep in GROUP_SEPARATORS) for h in headers)


def _flag(question_text: str, choice_text: str) -> form.Choice | None:
    """The choice of the select-multiple question that a 0/1 column stands for, if it is one."""
    parent = _question_index().get(key(question_text))
    if parent is None or parent.name != form.SELECT_MULTIPLE:
        return None
    return _choice_index(form.SELECT_MULTIPLE).get(key(choice_text))


def _read_header(header: str) -> form.Question | form.Choice | None:
    """The question (or the 0/1 column's choice) a header names, with or without its group path.

    Group paths are written `grupo/pregunta` or `grupo.pregunta`. After `/` any group is read
    past; a `.` may also be part of a label, so only known groups are read past there, and the
    rest of the header must name a question (or question and choice) as a whole.
    """
    questions = _question_index()
    whole = questions.get(key(header))
    if whole is not None:
        return whole
    parts = header.split("/")
    if len(parts) >= 2:
        found = questions.get(key(parts[-1])) or _flag(parts[-2], parts[-1])
        if found is not None:
            return found
    parts = header.split(".")
    start = 0
    while start < len(parts) - 1 and key(parts[start]) in _group_keys():
        start += 1
    rest = parts[start:]
    found = questions.get(key(".".join(rest))) if start else None
    for cut in range(1, len(rest)):
        found = found or _flag(".".join(rest[:cut]), ".".join(rest[cut:]))
    return found


def classify_headers(headers: list[str]) -> KoboColumns:
    """Sort the export's headers into questions, 0/1 columns, free text and others."""
    result = KoboColumns()
    for header in headers:
        if _is_meta(header):
            continue
        found = _read_header(header)
        if isinstance(found, form.Choice):
            result.flags[header] = found
        elif found is not None and found.column is None:
            result.free_text.append(header)
        elif found is not None:
            result.questions[header] = found.column
        else:
            result.ignored.append(header)
    return result


def missing_questions(headers: list[str]) -> list[str]:
    """Required questions (their XML names with group, for messages) that the headers do not provide."""
    columns = classify_headers(list(headers))
    source_format = kobo_format()
    present = set(columns.questions.values()) | set(source_format.defaults)
    return [source_format.column_names.get(c) or describe_column(c) for c in missing_required(present, DATASET)]


def looks_like_kobo(headers: list[str]) -> bool:
    """Whether a participants table is a KoboToolbox export of the MISKA form.

    Kobo's own columns say so; without them (removed before sharing) the form's questions do:
    some header must be a question only the form has (a group path, a Kobo label or name that
    is no canonical header), and the table must lack fewer of the form's required questions than
    of the canonical columns (a canonical file has the programme and country a Kobo export never carries).
    """
    headers = [str(h) for h in headers]
    if has_kobo_meta(headers):
        return True
    columns = classify_headers(headers)
    canonical = map_headers(headers, DATASET).columns
    if not [h for h in [*columns.questions, *columns.flags] if h not in canonical]:
        return False
    return len(missing_questions(headers)) < len(missing_columns(pd.DataFrame(columns=headers), DATASET))


def _header_fixes(raw: RawTable, columns: KoboColumns) -> list[Problem]:
    notes = [fixed(raw.file, None, h, None, "free_text_dropped", sheet=raw.sheet) for h in columns.free_text]
    notes += [fixed(raw.file, None, h, None, "column_ignored", {"dataset": DATASET}, raw.sheet)
              for h in columns.ignored]
    return notes


def _duplicate_questions(raw: RawTable, columns: KoboColumns) -> list[Problem]:
    by_column: dict[str, list[str]] = {}
    for header, column in columns.questions.items():
        by_column.setdefault(column, []).append(header)
    return [Problem(raw.file, 1, None, None, "duplicate_column", {"columns": names, "canonical": column}, raw.sheet)
            for column, names in by_column.items() if len(names) > 1]


def _approved(raw: RawTable) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows not marked "not approved" in Kobo, and a note on those left out."""
    frame = raw.frame
    if form.VALIDATION_STATUS not in frame:
        return frame, []
    status = frame[form.VALIDATION_STATUS].fillna("").map(key)
    rejected = status.isin({key(form.NOT_APPROVED), "not_approved", "no_aprobado"}).to_numpy()
    if not rejected.any():
        return frame, []
    rows = [int(r) for r in frame.index[rejected]]
    return frame.loc[~rejected], [fixed(raw.file, None, None, None, "kobo_not_approved", {"rows": rows}, raw.sheet)]


def _vocabularies() -> dict[str, Vocabulary]:
    """Kobo choice names and labels, on top of the general Spanish words."""
    result = {}
    for q in form.QUESTIONS:
        if q.name in form.CHOICES and q.name != form.SELECT_MULTIPLE:
            words = dict(word_index(q.column, allowed_codes(q.column, DATASET)))
            words.update({key(text): c.canonical for c in form.CHOICES[q.name] for text in (c.name, c.label)})
            result[q.column] = Vocabulary(words, tuple(c.name for c in form.CHOICES[q.name]))
    return result


@lru_cache(maxsize=1)
def kobo_format() -> SourceFormat:
    """Constant programme and country, Kobo choices, and question names for missing columns."""
    names = {q.column: form.xml_header(q) for q in form.QUESTIONS if q.column}
    names["municipality_code"] = names[MUNICIPALITY_NAME]
    return SourceFormat(defaults={"programme": form.PROGRAMME, "country": form.COUNTRY},
                        vocabularies=_vocabularies(), column_names=names)


def _loaded_fixes(raw: RawTable, columns: KoboColumns) -> list[Problem]:
    """Corrections of the reader for the whole file (the sheet chosen) or in columns that are loaded
    (not in Kobo's own or free-text columns)."""
    loaded = set(columns.questions) | set(columns.flags)
    return [p for p in raw.fixes if p.column is None or p.column in loaded]


def read_kobo_registration(path: str | Path, sheet: str | None = None, *,
                           date_orders: dict[str, str] | None = None) -> LoadResult:
    """Canonical MISKA participants (programme miska_reintegration, country GTM) plus `components`.

    With no sheet named, the sheet of a workbook that holds the form's questions is found.
    """
    if sheet is not None:
        return kobo_registration(load_table(path, sheet), date_orders=date_orders)
    return kobo_registration(choose_sheet(load_tables(path), DATASET,
                                          lambda table: missing_questions(list(table.frame.columns))),
                             date_orders=date_orders)


def kobo_registration(raw: RawTable, *, date_orders: dict[str, str] | None = None) -> LoadResult:
    """Like `read_kobo_registration`, for a table already read (a file's sheet or a server's submissions)."""
    columns = classify_headers(list(raw.frame.columns))
    duplicates = _duplicate_questions(raw, columns)
    if duplicates:
        raise ValidationError(duplicates)
    frame, skipped = _approved(raw)
    list_header = next((h for h, c in columns.questions.items() if c == form.COMPONENTS_COLUMN), None)
    answers = frame[[h for h, c in columns.questions.items() if c != form.COMPONENTS_COLUMN]]
    answers = answers.rename(columns=columns.questions)
    fixes = _loaded_fixes(raw, columns) + _header_fixes(raw, columns) + skipped
    table = RawTable(answers, raw.file, raw.sheet, fixes, raw.encoding)
    headers = {column: header for header, column in columns.questions.items()}
    conversion = convert(table, DATASET, headers, kobo_format(), date_orders=date_orders)
    components = parse_components(frame, list_header, columns.flags, conversion.report)
    return finish(conversion, extra=components.to_frame(form.COMPONENTS_COLUMN))


# --- The select-multiple question ----------------------------------------------------------

@lru_cache(maxsize=1)
def _choice_sequences() -> list[tuple[tuple[str, ...], form.Choice]]:
    """Word sequences that name each choice (its code, its label), longest first."""
    sequences = []
    for c in form.CHOICES[form.SELECT_MULTIPLE]:
        sequences.append(((key(c.name),), c))
        sequences.append((tuple(w for w in (key(word) for word in c.label.split()) if w), c))
    return sorted(sequences, key=lambda item: -len(item[0]))


def split_selection(text: str) -> tuple[list[form.Choice], list[str]]:
    """Choices named in a select-multiple answer (codes or labels, space separated) and unknown words."""
    pairs = [(word, key(word)) for word in text.split() if key(word)]
    words = [folded for _, folded in pairs]
    chosen, unknown, position = [], [], 0
    sequences = _choice_sequences()
    while position < len(words):
        for sequence, choice in sequences:
            if tuple(words[position:position + len(sequence)]) == sequence:
                chosen.append(choice)
                position += len(sequence)
                break
        else:
            unknown.append(pairs[position][0])
            position += 1
    return chosen, unknown


def _ordered(choices: set[str]) -> tuple[str, ...]:
    return tuple(c.canonical for c in form.CHOICES[form.SELECT_MULTIPLE] if c.canonical in choices)


def _cells(frame: pd.DataFrame, header: str) -> list[str | None]:
    """A column's cells as text, None where empty."""
    return [text if isinstance(text, str) else None for text in frame[header].tolist()]


def parse_components(frame: pd.DataFrame, list_header: str | None, flags: dict[str, form.Choice],
                     report: Report) -> pd.Series:
    """Tuple of canonical component codes per row, from the answer list or else from the 0/1 columns.

    Answers repeat across submissions, so each distinct answer text is parsed once.
    """
    shown = [c.name for c in form.CHOICES[form.SELECT_MULTIPLE]]
    listed_cells = _cells(frame, list_header) if list_header is not None else None
    flag_cells = {header: _cells(frame, header) for header in flags}
    selection, boolean = lru_cache(maxsize=None)(split_selection), lru_cache(maxsize=None)(parse_boolean)
    values = []
    for position, row in enumerate(frame.index.tolist()):
        listed = None
        if listed_cells is not None:
            listed = _listed(listed_cells[position], row, list_header, shown, report, selection)
        flagged = _flagged({h: cells[position] for h, cells in flag_cells.items()}, row, flags, report, boolean)
        if listed is not None:
            _compare(listed_cells[position], row, list_header, listed, flagged, flag_cells, position, flags, report)
        chosen = listed if listed is not None else {c for c, on in flagged.items() if on}
        values.append(_ordered(chosen))
    return pd.Series(values, index=frame.index, dtype=object)


def _listed(text: str | None, row: int, header: str, shown: list[str], report: Report, selection) -> set[str]:
    if text is None:
        return set()
    chosen, unknown = selection(text)
    for word in unknown:
        report.add(Problem(report.file, int(row), header, word, "unknown_category", {"allowed": shown}, report.sheet))
    return {c.canonical for c in chosen}


def _flagged(texts: dict[str, str | None], row: int, flags: dict[str, form.Choice], report: Report,
             boolean) -> dict[str, bool]:
    """Canonical component -> flag value, for the 0/1 cells that hold a yes/no."""
    result = {}
    for header, choice in flags.items():
        text = texts[header]
        if text is None:
            continue
        value = boolean(text)
        if value is None:
            report.add(Problem(report.file, int(row), header, text, "not_boolean", sheet=report.sheet))
        else:
            result[choice.canonical] = value
    return result


def _compare(text: str | None, row: int, list_header: str, listed: set[str], flagged: dict[str, bool],
             flag_cells: dict[str, list[str | None]], position: int, flags: dict[str, form.Choice],
             report: Report) -> None:
    for header, choice in flags.items():
        if choice.canonical not in flagged or flagged[choice.canonical] == (choice.canonical in listed):
            continue
        code = "kobo_flag_not_listed" if flagged[choice.canonical] else "kobo_listed_not_flagged"
        params = {"choice": choice.name, "list_column": list_header, "listed": text or ""}
        report.add(Problem(report.file, int(row), header, flag_cells[header][position], code, params, report.sheet))
