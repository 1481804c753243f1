"""Roles, the page each role opens, and the scope helpers the indicator layer relies on."""

import pytest

from auth.roles import PAGE_IDS, PAGES_BY_ROLE, Role, Scope, can_see_page, format_municipality, parse_municipality
from indicators.scope import allowed_countries, allowed_departments

PAGE_TABLE = {
    #                      overview map   my_mun reint  prev   forum  data   methods
    Role.LEADERSHIP:         (True, True, True, True, True, True, True, True),
    Role.MUNICIPAL_OFFICIAL: (True, False, True, False, False, False, False, True),
    Role.PRESENTER:          (True, True, True, True, True, True, False, True),
    Role.DATA_MANAGER:       (True, False, False, False, False, False, True, True),
}


def _scope(role: Role, *municipalities: tuple[str, str]) -> Scope:
    return Scope(username="u", role=role, municipalities=municipalities, display_name="U")


def test_page_ids_and_role_values_are_the_agreed_ones():
    assert PAGE_IDS == ("overview", "territorial_map", "my_municipality", "reintegration",
                        "prevention_network", "forum_deck", "data", "methods")
    assert [r.value for r in Role] == ["leadership", "municipal_official", "presenter", "data_manager"]
    assert Role("presenter") is Role.PRESENTER and Role.PRESENTER == "presenter"


@pytest.mark.parametrize("role", list(Role))
def test_page_access_table(role):
    scope = _scope(role, ("GTM", "1306")) if role is Role.MUNICIPAL_OFFICIAL else _scope(role)
    assert tuple(can_see_page(scope, page) for page in PAGE_IDS) == PAGE_TABLE[role]
    assert PAGES_BY_ROLE[role] == {p for p, seen in zip(PAGE_IDS, PAGE_TABLE[role]) if seen}


def test_unknown_page_id_is_a_programming_error():
    with pytest.raises(KeyError, match="dashboard"):
        can_see_page(_scope(Role.LEADERSHIP), "dashboard")


def test_scope_helpers_for_a_municipal_official():
    scope = _scope(Role.MUNICIPAL_OFFICIAL, ("GTM", "1306"), ("GTM", "1301"), ("GTM", "1201"), ("COL", "05001"))
    assert scope.is_territorial
    assert scope.departments == (("GTM", "13"), ("GTM", "12"), ("COL", "05"))
    assert scope.countries == ("GTM", "COL")
    # The indicator layer reads the same scope through its protocol.
    assert allowed_departments(scope) == set(scope.departments)
    assert allowed_countries(scope) == set(scope.countries)


def test_scopes_that_see_everything():
    for role in (Role.LEADERSHIP, Role.PRESENTER, Role.DATA_MANAGER):
        scope = _scope(role)
        assert not scope.is_territorial and scope.departments == () and scope.countries == ()


def test_scope_is_frozen_and_checked():
    with pytest.raises(ValueError, match="at least one municipality"):
        _scope(Role.MUNICIPAL_OFFICIAL)
    with pytest.raises(ValueError, match="sees everything"):
        _scope(Role.LEADERSHIP, ("GTM", "1306"))
    scope = _scope(Role.PRESENTER)
    with pytest.raises(AttributeError):
        scope.role = Role.LEADERSHIP  # type: ignore[misc]


@pytest.mark.parametrize("text, expected", [
    ("GTM:1306", ("GTM", "1306")), (" gtm : 1306 ", ("GTM", "1306")), ("BOL:020804", ("BOL", "020804")),
    ("COL:05001", ("COL", "05001")), ("GTM1306", None), ("XXX:1306", None), ("GTM:13a6", None),
    ("GTM:13", None), (1306, None), (None, None),
])
def test_parse_municipality(text, expected):
    assert parse_municipality(text) == expected


def test_format_municipality_round_trips():
    assert format_municipality(("PER", "210101")) == "PER:210101"
    assert parse_municipality(format_municipality(("PER", "210101"))) == ("PER", "210101")
