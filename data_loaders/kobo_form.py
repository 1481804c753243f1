"""The MISKA registration form as deployed in KoboToolbox: questions, groups, choices, labels.

Shared by the reader (`kobo.py`) and the sample exporter (`sample_data/raw_exports.py`) so
both speak the same form. Choice names are the Kobo codes (Spanish); `canonical` is the
code of the data contract.
"""

from __future__ import annotations

from dataclasses import dataclass

from data_loaders.headers import DEPARTMENT_NAME, MUNICIPALITY_NAME

PROGRAMME = "miska_reintegration"
COUNTRY = "GTM"
COMPONENTS_COLUMN = "components"  # extra output column: tuple of canonical component codes


@dataclass(frozen=True)
class Question:
    name: str  # XML name
    group: str  # XML name of its group ("" at the top level)
    label: str  # Spanish label
    column: str | None  # canonical column it fills; None for free text that is never loaded


@dataclass(frozen=True)
class Choice:
    name: str  # Kobo code
    label: str  # Spanish label
    canonical: str


GROUP_LABELS = {
    "datos_personales": "Datos personales",
    "situacion_migratoria": "Situación migratoria",
    "ubicacion": "Lugar de residencia",
    "inscripcion": "Inscripción",
    "cierre": "Cierre",
}

QUESTIONS: tuple[Question, ...] = (
    Question("codigo_participante", "datos_personales", "Código de participante (seudónimo)", "participant_id"),
    Question("sexo", "datos_personales", "Sexo de la persona participante", "sex"),
    Question("edad", "datos_personales", "Edad en años cumplidos", "age"),
    Question("pueblo", "datos_personales", "Pueblo con el que se identifica", "ethnicity"),
    Question("perfil", "situacion_migratoria", "Perfil migratorio de la persona", "migration_profile"),
    Question("departamento", "ubicacion", "Departamento de residencia", DEPARTMENT_NAME),
    Question("municipio", "ubicacion", "Municipio de residencia", MUNICIPALITY_NAME),
    Question("fecha_inscripcion", "inscripcion", "Fecha de inscripción en MISKA", "enrolment_date"),
    Question("componentes", "inscripcion", "Componentes en los que participa", COMPONENTS_COLUMN),
    Question("observaciones", "cierre", "Observaciones de la persona facilitadora", None),
)
SELECT_MULTIPLE = "componentes"

CHOICES: dict[str, tuple[Choice, ...]] = {
    "sexo": (Choice("mujer", "Mujer", "female"), Choice("hombre", "Hombre", "male"), Choice("otro", "Otro", "other")),
    "perfil": (
        Choice("retornado", "Persona retornada", "returnee"),
        Choice("en_transito", "En tránsito", "in_transit"),
        Choice("asentado", "Asentada en el municipio", "settled"),
        Choice("comunidad_acogida", "Comunidad de acogida", "host_community"),
        Choice("en_riesgo", "En riesgo de migrar", "at_risk"),
    ),
    "pueblo": (
        Choice("mam", "Mam", "mam"), Choice("kiche", "K'iche'", "kiche"), Choice("qanjobal", "Q'anjob'al", "qanjobal"),
        Choice("kaqchikel", "Kaqchikel", "kaqchikel"), Choice("popti", "Popti'", "popti"),
        Choice("akateko", "Akateko", "akateko"), Choice("chuj", "Chuj", "chuj"),
        Choice("awakateko", "Awakateko", "awakateko"), Choice("tektiteko", "Tektiteko", "tektiteko"),
        Choice("sipakapense", "Sipakapense", "sipakapense"), Choice("ixil", "Ixil", "ixil"),
        Choice("mestizo", "Mestizo o ladino", "mestizo"), Choice("otro", "Otro pueblo", "other"),
        Choice("no_indica", "Prefiere no indicar", "not_stated"),
    ),
    "componentes": (
        Choice("tecnica", "Formación técnica", "technical_training"),
        Choice("digital", "Habilidades digitales", "digital_skills"),
        Choice("liderazgo", "Liderazgo comunitario", "community_leadership"),
        Choice("emprendimiento", "Emprendimiento", "entrepreneurship"),
        Choice("psicosocial", "Apoyo psicosocial", "psychosocial_support"),
    ),
}

# Columns KoboToolbox adds to every export; read past, never loaded.
META_COLUMNS = frozenset({
    "start", "end", "today", "deviceid", "username", "phonenumber", "__version__", "instanceID",
    "rootUuid", "instanceName", "_id", "_uuid", "_submission_time", "_validation_status", "_notes",
    "_status", "_submitted_by", "_tags", "_index", "_parent_index", "_attachments", "_geolocation",
    "_xform_id_string", "formhub/uuid",
})
VALIDATION_STATUS = "_validation_status"
NOT_APPROVED = "validation_status_not_approved"


def question(name: str) -> Question:
    return next(q for q in QUESTIONS if q.name == name)


def choice_for(list_name: str, canonical: str) -> Choice:
    """The Kobo choice of `list_name` that stands for a canonical code."""
    return next(c for c in CHOICES[list_name] if c.canonical == canonical)


def xml_header(q: Question, with_group: bool = True) -> str:
    return f"{q.group}/{q.name}" if with_group and q.group else q.name


def label_header(q: Question) -> str:
    return q.label
