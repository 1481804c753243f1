"""Collects the problems of one file while it is converted, located as the person wrote it.

Columns are addressed by canonical name inside the loaders; messages use the header that
was in the file. Cells with an error are remembered so later checks do not repeat them.
Questions (the order of a column's ambiguous dates) are neither errors nor corrections: the
file cannot be loaded until the person answers them.
"""

from __future__ import annotations

import pandas as pd

from data_loaders.errors import Problem, fixed


class Report:
    """Errors and corrections of one file; `raw` holds the original text of each cell."""

    def __init__(self, file: str, sheet: str | None, raw: pd.DataFrame, headers: dict[str, str]) -> None:
        self.file = file
        self.sheet = sheet
        self.raw = raw
        self.headers = headers
        self.errors: list[Problem] = []
        self.fixes: list[Problem] = []
        self.questions: list[Problem] = []
        self._bad: set[tuple[int, str]] = set()

    def header(self, column: str | None) -> str | None:
        """The header written in the file for a canonical column."""
        return None if column is None else self.headers.get(column, column)

    def text(self, row: int, column: str) -> str | None:
        """Original text of a cell, None when empty or absent."""
        if column not in self.raw.columns or row not in self.raw.index:
            return None
        value = self.raw.at[row, column]
        return None if pd.isna(value) else str(value)

    def error(self, row: int | None, column: str | None, value: str | None, code: str, **params) -> None:
        self.errors.append(Problem(self.file, row, self.header(column), value, code, params, self.sheet))
        if row is not None and column is not None:
            self._bad.add((row, column))

    def add(self, problem: Problem, column: str | None = None) -> None:
        """Record a Problem built elsewhere; `column` marks the canonical cell as failed."""
        (self.errors if problem.is_error else self.fixes).append(problem)
        if problem.is_error and problem.row is not None and column is not None:
            self._bad.add((problem.row, column))

    def fix(self, column: str | None, code: str, rows: list[int], value: str | None = None, **params) -> None:
        """One correction applied to `rows` of `column`."""
        params = {**params, "rows": sorted(rows)}
        self.fixes.append(fixed(self.file, None, self.header(column), value, code, params, self.sheet))

    def ask(self, column: str, code: str, rows: list[int], **params) -> None:
        """A question about `rows` of `column` that the person must answer before the file loads."""
        params = {**params, "rows": sorted(rows)}
        self.questions.append(Problem(self.file, None, self.header(column), None, code, params, self.sheet,
                                      severity="question"))

    def mark_failed(self, row: int, column: str) -> None:
        """Skip later checks of a cell whose problem was reported under another column."""
        self._bad.add((row, column))

    def failed(self, row: int, column: str) -> bool:
        return (row, column) in self._bad

    def sorted_errors(self) -> list[Problem]:
        """Errors by row (file-level ones first), then by column as ordered in the file."""
        position = {self.header(column): number for number, column in enumerate(self.raw.columns)}
        return sorted(self.errors, key=lambda p: (-1 if p.row is None else p.row,
                                                  position.get(p.column, len(position))))
