"""Matching department and municipality names from forms to official codes."""

from __future__ import annotations

import pytest

from data_loaders.errors import Problem
from data_loaders.municipality_names import NameMatch, Where, match_department, match_municipality

WHERE = Where("f.csv", 5, "municipio")


@pytest.mark.parametrize("text, country, department, code, exact", [
    ("Quetzaltenango", "GTM", None, "0901", True),
    ("Quezaltenango", "GTM", None, "0901", False),
    ("QUETZALTENANGO", "GTM", None, "0901", False),
    ("quetzaltenango ", "GTM", None, "0901", False),
    ("San  Juan   Ostuncalco", "GTM", None, "0909", False),
    ("SAN PEDRO SACATEPEQUEZ", "GTM", "San Marcos", "1202", False),
    ("San Pedro Sacatepéquez", "GTM", "12", "1202", True),
    ("San Pedro Sacatepéquez", "GTM", "GUATEMALA", "0109", True),
    ("San Pedro Sacatepequez (San Marcos)", "GTM", None, "1202", False),
    ("San Pedro Sacatepéquez, Guatemala", "GTM", None, "0109", False),
    ("Tecún Umán", "GTM", None, "1217", False),
    ("Ciudad Tecun Uman", "GTM", "San Marcos", "1217", False),
    ("Municipio de Cuilco", "GTM", None, "1304", False),
    ("Todos Santos", "GTM", "Huehuetenango", "1315", False),
    ("Cucuta", "COL", None, "54001", False),
    ("San José de Cúcuta", "COL", "Norte de Santander", "54001", True),
    ("Desaguadero", "BOL", None, "020804", True),
    ("Desaguadero", "PER", None, "210402", True),
    ("DESAGUADERO", "PER", "Puno", "210402", False),
    ("Tiwanaku", "BOL", None, "020803", False),
    ("1301", "GTM", None, "1301", True),
    ("20804", "BOL", None, "020804", True),
])
def test_names_matched(text, country, department, code, exact):
    found = match_municipality(text, country, department, WHERE)
    assert isinstance(found, NameMatch), found.message("en")
    assert (found.code, found.exact) == (code, exact)


@pytest.mark.parametrize("text, country, department, message", [
    ("San Pedro Sacatepéquez", "GTM", None,
     "f.csv, fila 5, columna «municipio»: «San Pedro Sacatepéquez» puede ser «San Pedro Sacatepéquez (Guatemala, "
     "0109)» o «San Pedro Sacatepéquez (San Marcos, 1202)»; indique el departamento o el código de municipio."),
    ("Santa Rosa", "PER", "Puno",
     "f.csv, fila 5, columna «municipio»: «Santa Rosa» puede ser «Santa Rosa (Puno, 210504)» o «Santa Rosa (Puno, "
     "210808)», dentro del departamento Puno (21); use el código de municipio."),
    ("Desaguadero", "GTM", None,
     "f.csv, fila 5, columna «municipio»: no se encontró el municipio «Desaguadero» en Guatemala."),
    ("Desaguadero", "COL", None,
     "f.csv, fila 5, columna «municipio»: no se encontró el municipio «Desaguadero» en Colombia."),
    ("Quetzaltenangoo", "GTM", None,
     "f.csv, fila 5, columna «municipio»: no se encontró el municipio «Quetzaltenangoo» en Guatemala; ¿quiso decir "
     "Quetzaltenango (Quetzaltenango, 0901)?"),
    ("San Marcos", "GTM", "Huehuetenango",
     "f.csv, fila 5, columna «municipio»: no hay un municipio «San Marcos» en el departamento Huehuetenango (13); "
     "existe en «San Marcos (San Marcos, 1201)»."),
    ("Cuilco", "GTM", "Petén del Norte",
     "f.csv, fila 5, columna «municipio»: no se encontró el departamento «Petén del Norte» en Guatemala."),
    ("1399", "GTM", None, "f.csv, fila 5, columna «municipio»: el código de municipio «1399» no existe en Guatemala."),
    ("130101", "GTM", None,
     "f.csv, fila 5, columna «municipio»: «130101» no es un código de municipio válido de Guatemala: debe tener 4 "
     "dígitos."),
])
def test_names_not_matched_are_reported(text, country, department, message):
    found = match_municipality(text, country, department, WHERE)
    assert isinstance(found, Problem)
    assert found.message("es") == message


def test_ambiguous_name_in_english():
    found = match_municipality("La Libertad", "GTM", where=WHERE)
    assert found.message("en") == (
        'f.csv, row 5, column "municipio": "La Libertad" may be "La Libertad (Huehuetenango, 1311)" or '
        '"La Libertad (Petén, 1705)"; give the department or the municipality code.')


@pytest.mark.parametrize("text, country, code, exact", [
    ("Quiché", "GTM", "14", True),
    ("El Quiché", "GTM", "14", False),
    ("QUEZALTENANGO", "GTM", "09", False),
    ("Norte de Santander", "COL", "54", True),
    ("la paz", "BOL", "02", False),
    ("13", "GTM", "13", True),
])
def test_departments_matched(text, country, code, exact):
    found = match_department(text, country)
    assert (found.code, found.exact) == (code, exact)


def test_unknown_department():
    found = match_department("Atlántida", "GTM", Where("f.csv", 2, "departamento"))
    assert found.message("en") == 'f.csv, row 2, column "departamento": no department "Atlántida" was found in Guatemala.'
