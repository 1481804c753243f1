"""Spanish words accepted for each category code, per canonical column.

Forms and field spreadsheets write "Mujer", "En tránsito" or "Prevención de la trata";
the data contract uses `female`, `in_transit`, `trafficking_prevention`. The first word of
each tuple is the one our exporters write; matching ignores accents, case and spacing.
"""

from __future__ import annotations

from functools import lru_cache

from data_loaders import schemas
from data_loaders.text import key

SPANISH_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "country": {
        "GTM": ("Guatemala", "GT"), "BOL": ("Bolivia", "BO"), "PER": ("Perú", "PE"), "COL": ("Colombia", "CO"),
    },
    "programme": {
        "miska_reintegration": ("Reintegración MISKA", "MISKA", "Modelo MISKA"),
        "prevention_network": ("Red binacional de prevención", "Red de prevención"),
        "regional_support": ("Apoyo regional directo", "Apoyo regional", "Atención directa"),
    },
    "sex": {
        "female": ("Mujer", "Femenino", "F"), "male": ("Hombre", "Masculino", "M"), "other": ("Otro", "Otra"),
    },
    "migration_profile": {
        "returnee": ("Retornado/a", "Retornado", "Retornada", "Retorno"),
        "in_transit": ("En tránsito", "Tránsito"),
        "settled": ("Asentado/a", "Asentado", "Asentada"),
        "host_community": ("Comunidad de acogida", "Comunidad acogida", "Acogida"),
        "at_risk": ("En riesgo", "En riesgo de migrar"),
    },
    "ethnicity": {
        "mam": ("Mam",), "kiche": ("K'iche'", "Quiché"), "qanjobal": ("Q'anjob'al", "Kanjobal"),
        "kaqchikel": ("Kaqchikel", "Cakchiquel"), "popti": ("Popti'", "Jakalteko"), "akateko": ("Akateko",),
        "chuj": ("Chuj",), "awakateko": ("Awakateko",), "tektiteko": ("Tektiteko",),
        "sipakapense": ("Sipakapense",), "ixil": ("Ixil",), "mestizo": ("Mestizo/ladino", "Mestizo", "Mestiza", "Ladino", "Ladina"),
        "aymara": ("Aymara",), "quechua": ("Quechua",), "afrodescendant": ("Afrodescendiente", "Garífuna"),
        "other": ("Otro", "Otro pueblo"), "not_stated": ("No indica", "Prefiere no indicar", "Sin dato"),
    },
    "component": {
        "technical_training": ("Formación técnica", "Técnica"),
        "digital_skills": ("Habilidades digitales", "Digital"),
        "community_leadership": ("Liderazgo comunitario", "Liderazgo"),
        "entrepreneurship": ("Emprendimiento",),
        "psychosocial_support": ("Apoyo psicosocial", "Psicosocial"),
        "life_skills": ("Habilidades para la vida",),
        "employability": ("Empleabilidad",),
        "prevention_agent_training": ("Formación de agentes de prevención", "Agentes de prevención"),
    },
    "outcome": {
        "employment": ("Empleo", "Inserción laboral"),
        "enterprise_started": ("Emprendimiento iniciado",),
        "enterprise_consolidated": ("Emprendimiento consolidado",),
    },
    "sector": {
        "agriculture": ("Agricultura",), "commerce": ("Comercio",), "services": ("Servicios",),
        "manufacturing": ("Manufactura", "Industria"), "construction": ("Construcción",),
        "tourism": ("Turismo",), "technology": ("Tecnología",), "other": ("Otro",),
    },
    "round": {"baseline": ("Línea de base", "Línea base", "Inicial"), "follow_up": ("Seguimiento", "Final")},
    "type": {
        "school": ("Escuela", "Colegio", "Unidad educativa"), "local_authority": ("Autoridad local", "Municipalidad", "Alcaldía"),
        "police": ("Policía",), "justice": ("Justicia", "Fiscalía"), "health": ("Salud", "Centro de salud"),
        "community_organisation": ("Organización comunitaria",),
    },
    "tie_type": {
        "coordination": ("Coordinación",), "referral": ("Derivación", "Referencia"),
        "joint_activity": ("Actividad conjunta",), "training": ("Capacitación", "Formación"),
    },
    "topic": {
        "trafficking_prevention": ("Prevención de la trata", "Trata de personas", "Trata"),
        "gender_violence": ("Violencia de género", "Violencia contra la mujer"),
        "safe_migration": ("Migración segura",),
        "child_protection": ("Protección de la niñez", "Protección infantil"),
        "digital_safety": ("Seguridad digital", "Seguridad en internet"),
    },
    "audience": {
        "students": ("Estudiantes", "Alumnos"), "parents": ("Madres y padres", "Padres de familia", "Familias"),
        "teachers": ("Docentes", "Profesores", "Maestros"), "community": ("Comunidad",),
        "authorities": ("Autoridades",),
    },
    "status": {
        "in_design": ("En diseño",), "approved": ("Aprobada", "Aprobado"), "in_implementation": ("En implementación",),
    },
}

BOOLEAN_WORDS: dict[bool, tuple[str, ...]] = {
    True: ("sí", "si", "true", "verdadero", "yes", "1", "1.0", "x"),
    False: ("no", "false", "falso", "0", "0.0"),
}


def allowed_codes(column: str, dataset: str) -> tuple[str, ...]:
    """The codes the schema of `dataset` accepts in `column` (from its `isin` check)."""
    for check in schemas.DATASETS[dataset].columns[column].checks:
        if "allowed_values" in check.statistics:
            return tuple(check.statistics["allowed_values"])
    return ()


@lru_cache(maxsize=64)
def word_index(column: str, codes: tuple[str, ...]) -> dict[str, str]:
    """Folded word -> code for `column`: the codes themselves and their Spanish words."""
    index = {key(code): code for code in codes}
    for code, words in SPANISH_WORDS.get(column, {}).items():
        if code in codes:
            index.update({key(word): code for word in words})
    return index


def spanish_label(column: str, code: str) -> str:
    """The Spanish word our exporters write for `code`."""
    return SPANISH_WORDS[column][code][0]


_BOOLEAN_INDEX = {key(word): value for value, words in BOOLEAN_WORDS.items() for word in words}


def parse_boolean(text: str) -> bool | None:
    """True/False for yes/no words, None when the text is not one of them."""
    return _BOOLEAN_INDEX.get(key(text))
