"""Column headers accepted for each canonical column: the English name or known Spanish headers.

Headers are compared with `text.key`, so "Fecha de inscripción", "fecha inscripcion" and
"FECHA_DE_INSCRIPCION" are the same header. Two auxiliary columns carry names instead of
codes (`municipality_name`, `department_name`); they are turned into codes and dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from data_loaders import schemas
from data_loaders.text import key

MUNICIPALITY_NAME = "municipality_name"
DEPARTMENT_NAME = "department_name"
NAME_COLUMNS = {"municipality_code": MUNICIPALITY_NAME, "department_code": DEPARTMENT_NAME}

# Canonical column -> Spanish headers (the first is the one our exporters write).
SPANISH_HEADERS: dict[str, tuple[str, ...]] = {
    "participant_id": ("Código participante", "Código de participante", "Id participante", "Participante"),
    "programme": ("Programa", "Línea de trabajo"),
    "country": ("País",),
    "department_code": ("Código departamento", "Código depto", "Cod departamento"),
    "municipality_code": ("Código municipio", "Cod municipio", "Código municipal", "Ubigeo", "Divipola"),
    "sex": ("Sexo",),
    "age": ("Edad", "Edad años", "Edad en años"),
    "ethnicity": ("Pueblo", "Etnia", "Pueblo de pertenencia", "Autoidentificación étnica"),
    "migration_profile": ("Perfil migratorio", "Perfil", "Situación migratoria"),
    "enrolment_date": ("Fecha de inscripción", "Fecha de registro", "enrollment_date"),
    "institution_id": ("Código institución", "Id institución", "Institución"),
    "component": ("Componente",),
    "start_date": ("Fecha de inicio", "Inicio"),
    "end_date": ("Fecha de fin", "Fecha de finalización", "Fin"),
    "hours": ("Horas", "Horas asistidas"),
    "completed": ("Completado", "Completó", "Finalizado", "Concluido"),
    "outcome": ("Resultado", "Logro"),
    "date": ("Fecha",),
    "sector": ("Sector", "Sector económico"),
    "round": ("Ronda", "Medición"),
    "economic": ("Económica", "Dimensión económica", "Puntaje económico"),
    "social": ("Dimensión social", "Puntaje social"),
    "psychosocial": ("Psicosocial", "Dimensión psicosocial", "Puntaje psicosocial"),
    "session_id": ("Código sesión", "Id sesión", "Sesión"),
    "topic": ("Tema",),
    "audience": ("Público", "Público objetivo"),
    "female_0_17": ("Mujeres 0-17",),
    "male_0_17": ("Hombres 0-17",),
    "female_18_29": ("Mujeres 18-29",),
    "male_18_29": ("Hombres 18-29",),
    "female_30_plus": ("Mujeres 30+", "Mujeres 30 y más"),
    "male_30_plus": ("Hombres 30+", "Hombres 30 y más"),
    "facilitating_agents": ("Agentes facilitadores", "Agentes"),
    "name": ("Nombre",),
    "type": ("Tipo", "Tipo de institución"),
    "lat": ("Latitud",),
    "lon": ("Longitud",),
    "joined_date": ("Fecha de ingreso", "Fecha de adhesión"),
    "source_id": ("Institución origen", "Origen"),
    "target_id": ("Institución destino", "Destino"),
    "tie_type": ("Tipo de vínculo", "Vínculo"),
    "since_date": ("Desde", "Fecha de inicio del vínculo"),
    "policy_name": ("Política", "Nombre de la política"),
    "status": ("Estado",),
    "status_date": ("Fecha del estado",),
    "organisation_id": ("Código organización", "Id organización"),
    "members": ("Miembros", "Socios", "Integrantes"),
    "capacity_baseline": ("Capacidad línea de base", "Capacidad inicial"),
    "capacity_follow_up": ("Capacidad seguimiento", "Capacidad final"),
    MUNICIPALITY_NAME: ("Municipio", "Nombre municipio", "municipality", "Distrito"),
    DEPARTMENT_NAME: ("Departamento", "Nombre departamento", "department", "Región"),
}


@dataclass
class HeaderMap:
    """How the headers of a file map to canonical columns."""

    columns: dict[str, str] = field(default_factory=dict)  # header -> canonical column
    ignored: list[str] = field(default_factory=list)  # headers that are not part of the dataset
    duplicates: dict[str, list[str]] = field(default_factory=dict)  # canonical -> headers

    @property
    def headers(self) -> dict[str, str]:
        """Canonical column -> header written in the file."""
        return {canonical: header for header, canonical in self.columns.items()}


def accepted_columns(dataset: str) -> list[str]:
    """Canonical columns of `dataset` plus the name columns its codes can come from."""
    columns = list(schemas.DATASETS[dataset].columns)
    return columns + [NAME_COLUMNS[c] for c in columns if c in NAME_COLUMNS]


def header_index(columns: list[str]) -> dict[str, str]:
    """Header key -> canonical column, for the English names and the Spanish headers."""
    index = {}
    for column in columns:
        for header in (column, *SPANISH_HEADERS.get(column, ())):
            index.setdefault(key(header), column)
    return index


def map_headers(headers: list[str], dataset: str) -> HeaderMap:
    """Recognise each header of a file as a canonical column of `dataset`, or ignore it."""
    index = header_index(accepted_columns(dataset))
    result = HeaderMap()
    found: dict[str, list[str]] = {}
    for header in headers:
        canonical = index.get(key(header))
        if canonical is None:
            result.ignored.append(header)
        else:
            found.setdefault(canonical, []).append(header)
    for canonical, names in found.items():
        result.columns[names[0]] = canonical
        if len(names) > 1:
            result.duplicates[canonical] = names
    return result


def required_columns(dataset: str) -> list[str]:
    """Columns a file must have: the schema's non-nullable ones (a code may come as a name)."""
    schema = schemas.DATASETS[dataset]
    return [name for name, column in schema.columns.items() if not column.nullable]


def describe_column(column: str) -> str:
    """'age (Edad)': the canonical name and the main Spanish header, for messages."""
    spanish = SPANISH_HEADERS.get(column)
    return f"{column} ({spanish[0]})" if spanish else column
