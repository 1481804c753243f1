"""Every role × page × deep link, headless: nothing outside the user's territory is rendered or sent.

Checks the rendered elements and the payloads of charts and maps, not only visible text.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from auth.roles import PAGES_BY_ROLE, Role
from geo.units import territorial_units
from tests.conftest import SAMPLE
from tests.signed_in import run_dashboard

PAGE_FILES = {"overview": "pages/overview.py", "territorial_map": "pages/territorial_map.py",
              "my_municipality": "pages/my_municipality.py", "reintegration": "pages/reintegration.py",
              "prevention_network": "pages/prevention_network.py"}
ROLES = {"liderazgo": Role.LEADERSHIP, "municipal": Role.MUNICIPAL_OFFICIAL,
         "presentador": Role.PRESENTER, "datos": Role.DATA_MANAGER}
OFFICIAL_SCOPE = {("GTM", "1306")}  # San Pedro Necta, the demo municipal official's territory
LINKS = [
    {},
    {"municipio": "1306"},  # in scope
    {"municipio": "1301"},  # Huehuetenango, same department
    {"municipio": "1201"},  # San Marcos, another department
    {"municipio": "020804", "pais": "BOL"},  # Desaguadero, another country
    {"municipio": "54001"},  # Cúcuta
]
NOT_IN_TERRITORY = "Este territorio no está en su ámbito"


def _rendered(app: AppTest) -> str:
    """Every string the page sent to the browser: text elements, tables, chart and map payloads."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "error", "warning", "success",
                 "metric", "text", "expander"):
        for element in app.get(kind):
            parts.append(str(element.proto))
    for frame in app.dataframe:
        parts.append(frame.value.to_string())
    parts += [chart.proto.spec for chart in app.get("plotly_chart")]
    parts += [_deck_text(deck) for deck in app.get("deck_gl_json_chart")]
    return "\n".join(parts)


def _department_names(country: str = "GTM", department: str = "13") -> set[str]:
    units = territorial_units()
    return set(units[(units["level"] == "municipality") & (units["country"] == country)
                     & (units["department_code"] == department)]["name"])


def _deck_text(deck) -> str:
    """A map's payload, less the locator's layer that names every municipality of the official's department:
    naming all of them, with no code or value, tells nothing about where the programme works."""
    spec = json.loads(deck.proto.json)
    kept = []
    for layer in spec["layers"]:
        features = layer.get("data", {}).get("features", []) if isinstance(layer.get("data"), dict) else []
        if features and all(set(f["properties"]) == {"name"} for f in features) \
                and {f["properties"]["name"] for f in features} == _department_names():
            continue
        kept.append(layer)
    return json.dumps({**spec, "layers": kept}) + deck.proto.tooltip


def _names_outside_scope() -> list[str]:
    """Names of municipalities with programme data that the official must never see."""
    people = pd.read_csv(SAMPLE / "participants.csv", dtype=str)
    present = set(zip(people["country"], people["municipality_code"]))
    units = territorial_units()
    municipalities = units[units["level"] == "municipality"]
    own = municipalities[[(c, m) in OFFICIAL_SCOPE for c, m in zip(municipalities["country"], municipalities["code"])]]
    allowed = set(own["name"]) | set(own["department_name"]) | {"Guatemala"}
    return sorted({row.name for row in municipalities.itertuples()
                   if (row.country, row.code) in present - OFFICIAL_SCOPE
                   and row.name not in allowed and not any(row.name in a for a in allowed)})


def _run(username: str, page_file: str, link: dict) -> AppTest:
    return run_dashboard(username, query=link, page=page_file)


PROBES = [(user, page_id, link) for user, role in ROLES.items() for page_id in PAGE_FILES
          if page_id in PAGES_BY_ROLE[role] for link in LINKS]


@pytest.mark.parametrize("username, page_id, link", PROBES,
                         ids=[f"{u}-{p}-{'&'.join(f'{k}={v}' for k, v in link.items()) or 'nolink'}"
                              for u, p, link in PROBES])
def test_role_page_link_probe(fresh_caches, username, page_id, link):
    app = _run(username, PAGE_FILES[page_id], link)
    assert not app.exception, app.exception
    shown = _rendered(app)
    if ROLES[username] is not Role.MUNICIPAL_OFFICIAL:
        assert NOT_IN_TERRITORY not in shown and (page_id != "overview" or len(app.metric) == 6)
        return
    link_in_scope = not link or (link.get("pais", "GTM"), link["municipio"]) in OFFICIAL_SCOPE
    if not link_in_scope:
        assert NOT_IN_TERRITORY in shown
        assert app.metric == [] and app.get("plotly_chart") == [] and app.get("deck_gl_json_chart") == []
    leaks = [name for name in _names_outside_scope() if name in shown]
    assert leaks == []
    for deck in app.get("deck_gl_json_chart"):
        features = [f for layer in json.loads(deck.proto.json)["layers"] if isinstance(layer.get("data"), dict)
                    for f in layer["data"].get("features", [])]
        named = {(f["properties"]["country"], f["properties"]["code"]) for f in features if "code" in f["properties"]}
        assert named <= OFFICIAL_SCOPE  # other units, if drawn at all, are shapes without names or codes
    for chart in app.get("plotly_chart"):
        labels = json.dumps([trace.get("y") for trace in json.loads(chart.proto.spec)["data"]])
        assert not any(country in labels for country in ("Bolivia", "Perú", "Colombia"))


def test_probe_count_and_names_checked():
    assert len(PROBES) == 6 * (5 + 2 + 5 + 1)  # links x pages: leadership, official, presenter, data manager
    assert {"Cuilco", "San Marcos", "Desaguadero"} <= set(_names_outside_scope())


# --- The official's home and the ways back to it ---------------------------------------------------

def _page_links(app: AppTest) -> list:
    return [link.proto for link in app.get("page_link")]


def test_municipal_official_lands_on_their_municipality(fresh_caches):
    app = run_dashboard("municipal")
    assert not app.exception, app.exception
    assert app.title[0].value == "Mi municipio"
    assert app.session_state["my_municipality.municipality"] == "1306"
    assert "San Pedro Necta" in _rendered(app)


def test_other_roles_still_land_on_the_overview(fresh_caches):
    app = run_dashboard("liderazgo")
    assert app.title[0].value == "Panorama regional"


@pytest.mark.parametrize("page_id", ["data", "reintegration"])
def test_a_page_the_role_may_not_open_says_so_and_links_home(fresh_caches, page_id):
    app = run_dashboard("municipal", query={"page": page_id})
    assert not app.exception, app.exception
    title = {"data": "Datos", "reintegration": "Reintegración (MISKA)"}[page_id]
    assert [w.value for w in app.warning] == [
        f"Su perfil no tiene acceso a la página «{title}». Sus páginas están en el menú lateral."]
    assert app.metric == [] and app.dataframe == []  # no figure of the page, nor of the home page
    assert [link.label for link in _page_links(app)] == ["Ir a Mi municipio"]


def test_not_in_your_territory_links_back_to_the_official_s_municipality(fresh_caches):
    app = run_dashboard("municipal", query={"municipio": "1201"}, page="pages/my_municipality.py")
    assert NOT_IN_TERRITORY in _rendered(app)
    links = _page_links(app)
    assert [link.label for link in links] == ["Volver a mi municipio: San Pedro Necta"]
    assert "municipio=1306" in links[0].query_string and "pais=GTM" in links[0].query_string
