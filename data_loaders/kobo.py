"""Read the MISKA registration form exported from KoboToolbox (XLSX or CSV) into participants.

Both export styles are accepted: XML names (with group paths such as `datos_personales/sexo`
or without them) and Spanish labels. Kobo's own columns (`_uuid`, `_submission_time`, …) are
read past, free text (`observaciones`) is never loaded, submissions marked "not approved"
are left out, and the select-multiple `componentes` becomes a tuple of canonical component
codes in the extra column `components`, checked against its 0/1 columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data_loaders import kobo_form as form
from data_loaders.canonical import LoadResult, SourceFormat, Vocabulary, convert, finish
from data_loaders.errors import Problem, ValidationError, fixed
from data_loaders.headers import MUNICIPALITY_NAME
from data_loaders.readers import RawTable, load_table
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


def _question_index() -> dict[str, form.Question]:
    index = {}
    for q in form.QUESTIONS:
        index[key(q.name)] = q
        index[key(q.label)] = q
    return index


def _choice_index(list_name: str) -> dict[str, form.Choice]:
    return {key(text): c for c in form.CHOICES[list_name] for text in (c.name, c.label)}


def _is_meta(header: str) -> bool:
    return header in form.META_COLUMNS or header.split("/")[-1] in form.META_COLUMNS \
        or header.startswith("_") or header.startswith("meta/")


def classify_headers(headers: list[str]) -> KoboColumns:
    """Sort the export's headers into questions, 0/1 columns, free text and others."""
    questions, choices, result = _question_index(), _choice_index(form.SELECT_MULTIPLE), KoboColumns()
    for header in headers:
        parts = header.split("/")
        q = questions.get(key(parts[-1]))
        parent = questions.get(key(parts[-2])) if len(parts) >= 2 else None
        if _is_meta(header):
            continue
        if q is not None and q.column is None:
            result.free_text.append(header)
        elif q is not None:
            result.questions[header] = q.column
        elif parent is not None and parent.name == form.SELECT_MULTIPLE and key(parts[-1]) in choices:
            result.flags[header] = choices[key(parts[-1])]
        else:
            result.ignored.append(header)
    return result


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


def kobo_format() -> SourceFormat:
    """Constant programme and country, Kobo choices, and question names for missing columns."""
    names = {q.column: form.xml_header(q) for q in form.QUESTIONS if q.column}
    names["municipality_code"] = names[MUNICIPALITY_NAME]
    return SourceFormat(defaults={"programme": form.PROGRAMME, "country": form.COUNTRY},
                        vocabularies=_vocabularies(), column_names=names)


def _loaded_fixes(raw: RawTable, columns: KoboColumns) -> list[Problem]:
    """Corrections of the reader in columns that are loaded (not in Kobo's own or free-text columns)."""
    loaded = set(columns.questions) | set(columns.flags)
    return [p for p in raw.fixes if p.column in loaded]


def read_kobo_registration(path: str | Path, sheet: str | None = None, *,
                           date_orders: dict[str, str] | None = None) -> LoadResult:
    """Canonical MISKA participants (programme miska_reintegration, country GTM) plus `components`."""
    return kobo_registration(load_table(path, sheet), date_orders=date_orders)


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


def parse_components(frame: pd.DataFrame, list_header: str | None, flags: dict[str, form.Choice],
                     report: Report) -> pd.Series:
    """Tuple of canonical component codes per row, from the answer list or else from the 0/1 columns."""
    shown = [c.name for c in form.CHOICES[form.SELECT_MULTIPLE]]
    values = []
    for row in frame.index:
        listed = _listed(frame, row, list_header, shown, report)
        flagged = _flagged(frame, row, flags, report)
        if listed is not None:
            _compare(frame, row, list_header, listed, flagged, flags, report)
        chosen = listed if listed is not None else {c for c, on in flagged.items() if on}
        values.append(_ordered(chosen))
    return pd.Series(values, index=frame.index, dtype=object)


def _listed(frame: pd.DataFrame, row: int, header: str | None, shown: list[str], report: Report) -> set[str] | None:
    if header is None:
        return None
    text = frame.at[row, header]
    if pd.isna(text):
        return set()
    chosen, unknown = split_selection(str(text))
    for word in unknown:
        report.add(Problem(report.file, int(row), header, word, "unknown_category", {"allowed": shown}, report.sheet))
    return {c.canonical for c in chosen}


def _flagged(frame: pd.DataFrame, row: int, flags: dict[str, form.Choice], report: Report) -> dict[str, bool]:
    """Canonical component -> flag value, for the 0/1 cells that hold a yes/no."""
    result = {}
    for header, choice in flags.items():
        text = frame.at[row, header]
        if pd.isna(text):
            continue
        value = parse_boolean(str(text))
        if value is None:
            report.add(Problem(report.file, int(row), header, str(text), "not_boolean", sheet=report.sheet))
        else:
            result[choice.canonical] = value
    return result


def _compare(frame: pd.DataFrame, row: int, list_header: str, listed: set[str], flagged: dict[str, bool],
             flags: dict[str, form.Choice], report: Report) -> None:
    text = frame.at[row, list_header]
    for header, choice in flags.items():
        if choice.canonical not in flagged or flagged[choice.canonical] == (choice.canonical in listed):
            continue
        code = "kobo_flag_not_listed" if flagged[choice.canonical] else "kobo_listed_not_flagged"
        params = {"choice": choice.name, "list_column": list_header, "listed": "" if pd.isna(text) else str(text)}
        report.add(Problem(report.file, int(row), header, str(frame.at[row, header]), code, params, report.sheet))
