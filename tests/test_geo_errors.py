"""Boundary error messages: both languages for every message, same fields, file named first."""

from __future__ import annotations

import pickle
import string

import pytest

import i18n
from geo.errors import (FIELD_LABEL_KEY, MESSAGES, BoundaryError, DuplicateCodeError, MissingCrsError,
                        listing)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_fields(code):
    templates = MESSAGES[code]
    assert set(templates) == {"es", "en"}
    assert _fields(templates["es"]) == _fields(templates["en"])
    assert templates["es"].startswith("{file}: ") and templates["en"].startswith("{file}: ")


def test_message_names_the_file_without_its_folder():
    error = MissingCrsError("/uploads/2026/gtm.shp", "missing_crs_shapefile")
    assert error.file == "gtm.shp"
    assert error.message("es") == (
        "gtm.shp: el archivo no declara su sistema de coordenadas (falta el .prj). Escriba su código EPSG en el "
        "campo «Código EPSG de las coordenadas» (por ejemplo 32615 para UTM zona 15 N, 4326 para longitud y latitud "
        "WGS 84) o vuelva a exportarlo con su .prj.")
    assert str(error) == error.message("en")
    assert error.message("fr") == error.message("es")


def test_the_epsg_field_is_named_by_its_page_label_in_each_language():
    """The message without .prj points to the Data page's input by the label the page shows."""
    error = MissingCrsError("gtm.shp", "missing_crs_shapefile")
    for lang in ("es", "en"):
        assert f"{i18n.translate(FIELD_LABEL_KEY, lang)}" in error.message(lang)
    assert "field" not in error.params  # filled per language at rendering, not stored


def test_params_are_kept_for_the_renderer():
    error = DuplicateCodeError("gtm.geojson", codes="0101")
    assert (error.message_code, error.params) == ("duplicate_codes", {"codes": "0101"})
    assert isinstance(error, BoundaryError)


def test_unknown_message_code_is_a_programming_error():
    with pytest.raises(KeyError):
        BoundaryError("gtm.geojson", "no_such_message")


@pytest.mark.parametrize(("items", "expected"), [
    ([], ""),
    (["0101"], "0101"),
    (list(range(12)), "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, … (+2)"),
])
def test_listing(items, expected):
    assert listing(items) == expected


def test_errors_survive_pickling():
    error = DuplicateCodeError("gtm.geojson", codes="0101")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.file, copy.params, str(copy)) == (DuplicateCodeError, "gtm.geojson", {"codes": "0101"},
                                                               str(error))
