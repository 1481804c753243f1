"""The binational prevention network of Desaguadero: its institutions and where they lie.

Institutions have synthetic, public-sounding names (never a person's name); their points are
sampled inside their municipality polygon, near the border bridge for the two Desaguadero units.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from sample_data.generator.common import day, uniform_int
from sample_data.generator.places import check_provinces, near, polygons, resolve, sample_point

# Provinces of the network (parent_code in the boundary files): Ingavi with Pacajes and
# José Manuel Pando (La Paz, Bolivia); Chucuito with Yunguyo (Puno, Peru).
PROVINCES = {"BOL": ("0208", "0203", "0219"), "PER": ("2104", "2113")}
DEPARTMENT = {"BOL": "02", "PER": "21"}
BORDER_TOWN = "Desaguadero"

# (country, municipality, type, name); founders (joined first) are marked with True.
INSTITUTIONS: tuple[tuple[str, str, str, str, bool], ...] = (
    ("BOL", "Desaguadero", "local_authority", "Gobierno Autónomo Municipal de Desaguadero", True),
    ("BOL", "Desaguadero", "local_authority", "Defensoría de la Niñez y Adolescencia de Desaguadero", True),
    ("BOL", "Desaguadero", "police", "Estación Policial Integral de Desaguadero", False),
    ("BOL", "Desaguadero", "justice", "Servicio Legal Integral Municipal de Desaguadero", False),
    ("BOL", "Desaguadero", "health", "Centro de Salud Desaguadero", False),
    ("BOL", "Desaguadero", "school", "Unidad Educativa Desaguadero N.º 1", True),
    ("BOL", "Desaguadero", "school", "Unidad Educativa Desaguadero N.º 2", False),
    ("BOL", "Desaguadero", "school", "Unidad Educativa Técnico Humanístico Frontera", False),
    ("BOL", "Desaguadero", "community_organisation", "Federación de Juntas Vecinales de Desaguadero", False),
    ("BOL", "Guaqui", "local_authority", "Defensoría de la Niñez y Adolescencia de Guaqui", False),
    ("BOL", "Guaqui", "school", "Unidad Educativa Guaqui", False),
    ("BOL", "Guaqui", "health", "Centro de Salud Guaqui", False),
    ("BOL", "Tiahuanacu", "school", "Unidad Educativa Tiahuanacu", False),
    ("BOL", "Tiahuanacu", "community_organisation", "Red de Mujeres Aymaras de Tiahuanacu", False),
    ("BOL", "Jesús de Machaca", "school", "Unidad Educativa Jesús de Machaca", False),
    ("BOL", "San Andrés de Machaca", "school", "Unidad Educativa San Andrés de Machaca", False),
    ("BOL", "Taraco", "school", "Unidad Educativa Taraco", False),
    ("BOL", "Viacha", "justice", "Juzgado Público de la Niñez y Adolescencia de Viacha", False),
    ("BOL", "Nazacara de Pacajes", "school", "Unidad Educativa Nazacara", False),
    ("BOL", "Santiago de Machaca", "health", "Centro de Salud Santiago de Machaca", False),
    ("PER", "Desaguadero", "local_authority", "Municipalidad Distrital de Desaguadero", True),
    ("PER", "Desaguadero", "local_authority", "DEMUNA de Desaguadero", True),
    ("PER", "Desaguadero", "police", "Comisaría de Desaguadero (Perú)", False),
    ("PER", "Desaguadero", "justice", "Centro Emergencia Mujer Desaguadero", False),
    ("PER", "Desaguadero", "health", "Puesto de Salud Desaguadero (Perú)", False),
    ("PER", "Desaguadero", "school", "Institución Educativa Secundaria Desaguadero", True),
    ("PER", "Desaguadero", "school", "Institución Educativa Primaria N.º 2 de Desaguadero", False),
    ("PER", "Desaguadero", "community_organisation", "Asociación de Comerciantes del Puente Internacional", False),
    ("PER", "Kelluyo", "health", "Centro de Salud Kelluyo", False),
    ("PER", "Kelluyo", "school", "Institución Educativa Secundaria Kelluyo", False),
    ("PER", "Zepita", "school", "Institución Educativa Secundaria Zepita", False),
    ("PER", "Zepita", "local_authority", "Municipalidad Distrital de Zepita", False),
    ("PER", "Pomata", "school", "Institución Educativa Secundaria Pomata", False),
    ("PER", "Juli", "justice", "Fiscalía Provincial Mixta de Chucuito", False),
    ("PER", "Juli", "local_authority", "DEMUNA de la Municipalidad Provincial de Chucuito", False),
    ("PER", "Juli", "school", "Institución Educativa Secundaria Juli", False),
    ("PER", "Huacullani", "community_organisation", "Comunidad Campesina de Huacullani", False),
    ("PER", "Yunguyo", "police", "Comisaría de Yunguyo", False),
    ("PER", "Yunguyo", "school", "Institución Educativa Secundaria Yunguyo", False),
    ("PER", "Copani", "school", "Institución Educativa Secundaria Copani", False),
)
FOUNDERS_JOINED = ("2022-01-10", "2022-06-30")
OTHERS_JOINED = ("2022-07-01", "2024-06-28")
NEAR_RADIUS = 0.06  # degrees around the seat an institution's point is drawn in (~6 km)


def places(country: str) -> pd.DataFrame:
    """The network's municipalities of one country, checked to lie in the network's provinces."""
    names = sorted({m for c, m, *_ in INSTITUTIONS if c == country})
    table = resolve(country, [(DEPARTMENT[country], name, 1.0) for name in names])
    check_provinces(table, country, PROVINCES[country])
    return table


def _border_bridge() -> shapely.Point:
    """Midpoint of the shortest line between the two Desaguadero polygons."""
    codes = {c: places(c).set_index("name").loc[BORDER_TOWN, "municipality_code"] for c in ("BOL", "PER")}
    line = shapely.shortest_line(polygons("BOL")[codes["BOL"]], polygons("PER")[codes["PER"]])
    return line.interpolate(0.5, normalized=True)


def _coordinates(rng: np.random.Generator, codes: list[str], countries: list[str], names: list[str]):
    bridge = _border_bridge()
    points = []
    for code, country, town in zip(codes, countries, names):
        area = polygons(country)[code]
        anchor = bridge if town == BORDER_TOWN else area.representative_point()
        points.append(sample_point(rng, near(area, anchor, NEAR_RADIUS)))
    return np.array(points)


def institutions(rng: np.random.Generator) -> pd.DataFrame:
    """The network institutions (fixed list; points and joined dates drawn from `rng`).

    Extra columns for the generator: department_code and town (municipality name).
    """
    units = {c: places(c).set_index("name") for c in DEPARTMENT}
    country = [c for c, *_ in INSTITUTIONS]
    town = [m for _, m, *_ in INSTITUTIONS]
    code = [units[c].loc[m, "municipality_code"] for c, m in zip(country, town)]
    founder = np.array([f for *_, f in INSTITUTIONS])
    joined = np.where(founder, uniform_int(rng, day(FOUNDERS_JOINED[0]), day(FOUNDERS_JOINED[1]), len(code)),
                      uniform_int(rng, day(OTHERS_JOINED[0]), day(OTHERS_JOINED[1]), len(code)))
    latlon = _coordinates(rng, code, country, town)
    number = pd.Series(country).groupby(country).cumcount() + 1
    return pd.DataFrame({
        "institution_id": [f"INS-{c}-{k:02d}" for c, k in zip(country, number)],
        "name": [name for *_, name, _ in INSTITUTIONS],
        "type": [t for _, _, t, _, _ in INSTITUTIONS],
        "country": country,
        "municipality_code": code,
        "lat": latlon[:, 0],
        "lon": latlon[:, 1],
        "joined_date": joined,
        "department_code": [units[c].loc[m, "department_code"] for c, m in zip(country, town)],
        "town": town,
    })
