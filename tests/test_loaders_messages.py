"""Message catalogue: Spanish and English say the same things; problems render with their location."""

from __future__ import annotations

import string

import pytest

from data_loaders.errors import LoaderError, Problem, ValidationError
from data_loaders.messages import MESSAGES


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_in_spanish_and_english():
    assert all(set(texts) == {"es", "en"} for texts in MESSAGES.values())


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_same_placeholders_in_both_languages(code):
    assert _placeholders(MESSAGES[code]["es"]) == _placeholders(MESSAGES[code]["en"])


@pytest.mark.parametrize("problem, es, en", [
    (Problem("participants.csv", 7, "age", "doce", "not_integer"),
     "participants.csv, fila 7, columna «age»: «doce» no es un número entero.",
     'participants.csv, row 7, column "age": "doce" is not a whole number.'),
    (Problem("kobo.xlsx", 3, "sexo", "x", "unknown_category", {"allowed": ["mujer", "hombre"]}, sheet="Datos"),
     "kobo.xlsx, hoja «Datos», fila 3, columna «sexo»: «x» no es un valor admitido; valores admitidos: «mujer» y "
     "«hombre».",
     'kobo.xlsx, sheet "Datos", row 3, column "sexo": "x" is not an accepted value; accepted values: "mujer" and '
     '"hombre".'),
    (Problem("s.csv", None, "Fecha", None, "date_day_first", {"rows": list(range(2, 16))}, severity="fixed"),
     "s.csv, columna «Fecha»: fechas leídas como día/mes/año (dd/mm/aaaa) (filas 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 y "
     "4 más).",
     's.csv, column "Fecha": dates read as day/month/year (dd/mm/yyyy) (rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and '
     '4 more).'),
    (Problem("p.csv", None, None, None, "empty_file"), "p.csv: el archivo está vacío.", "p.csv: the file is empty."),
])
def test_problem_messages(problem, es, en):
    assert (problem.message("es"), problem.message("en")) == (es, en)


def test_long_values_are_cut():
    problem = Problem("p.csv", 2, "age", "9" * 100, "not_integer")
    assert problem.message("en") == 'p.csv, row 2, column "age": "' + "9" * 59 + '…" is not a whole number.'


def test_unknown_code_or_severity_is_a_programming_error():
    with pytest.raises(KeyError):
        Problem("p.csv", 2, None, None, "no_such_message")
    with pytest.raises(ValueError):
        Problem("p.csv", 2, None, None, "empty_value", severity="warning")


def test_loader_error_text_lists_every_problem_then_stops():
    problems = [Problem("p.csv", row, "age", "x", "not_integer") for row in range(2, 25)]
    error = ValidationError(problems)
    assert isinstance(error, LoaderError)
    lines = str(error).splitlines()
    assert lines[0] == "p.csv, fila 2, columna «age»: «x» no es un número entero."
    assert lines[-1] == "3 más …"
    assert len(lines) == 21
    assert error.text("en").splitlines()[-1] == "3 more …"
