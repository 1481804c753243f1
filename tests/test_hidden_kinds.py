"""What a person reads of a hidden figure: the published frames carry each cell's kind of hidden, consistent
with the publication family's fates, and the pages and files read it the same way."""

from __future__ import annotations

import pandas as pd
import pytest

import i18n
import settings
from indicators.compute import true_counts
from indicators.filters import Filters
from indicators.municipal import Figure, format_figure, protect_components
from indicators.registry import get_indicator
from publication.protection import DERIVED, PROTECTING, PUBLISHED, SMALL, WITHHELD
from publication.published import cell_of, publish_frame, request_of
from publication.sources import published_family

K, MARGIN = 5, 2
REQUESTS = [
    (Filters(), ("country",)),
    (Filters(countries=("GTM",)), ("department",)),
    (Filters(departments=(("GTM", "13"),)), ("municipality",)),
    (Filters(municipalities=(("GTM", "1306"),)), ()),
    (Filters(municipalities=(("GTM", "1306"),)), ("migration_profile",)),
    (Filters(municipalities=(("GTM", "1306"),)), ("sex", "age_group")),
    (Filters(departments=(("GTM", "13"),)), ("sex", "age_group")),
    (Filters(countries=("BOL",)), ("municipality",)),
]


@pytest.fixture(scope="module")
def served(sample_con):
    return published_family(sample_con, "people_served", K, MARGIN, settings.cache_dir())


@pytest.mark.parametrize("filters, by", REQUESTS)
def test_published_frames_carry_the_kind_of_their_fate(sample_con, served, filters, by):
    counts = true_counts(sample_con, get_indicator("people_served"), filters, by)
    frame, _ = publish_frame(served, "people_served", filters, by, counts)
    request = request_of(get_indicator("people_served"), filters, by)
    for row, count in zip(frame.to_dict("records"), counts["value"]):
        cell = cell_of(request, by, row)
        fate = PUBLISHED if cell is None and count == 0 else served.fate(cell, int(count)) if cell else WITHHELD
        expected = {PUBLISHED: None, SMALL: SMALL, PROTECTING: PROTECTING, WITHHELD: WITHHELD, DERIVED: WITHHELD}[fate]
        assert (row["hidden"], row["suppressed"]) == (expected, fate != PUBLISHED)
        shown = i18n.format_count(row["value"], "en", row["hidden"])
        if fate == SMALL:  # never a number, always "fewer than 5"
            assert pd.isna(row["value"]) and shown == "fewer than 5" and 1 <= count < K
        elif fate != PUBLISHED:  # hidden without a class the protection did not assume
            assert pd.isna(row["value"]) and shown != "fewer than 5" and "fewer" not in shown
        else:
            assert shown == i18n.format_number(count, "en")


def test_the_sample_has_each_kind_of_hidden_figure(sample_con, served):
    kinds = set()
    for filters, by in REQUESTS:
        counts = true_counts(sample_con, get_indicator("people_served"), filters, by)
        kinds |= set(publish_frame(served, "people_served", filters, by, counts)[0]["hidden"].dropna())
    assert SMALL in kinds and kinds <= {SMALL, PROTECTING, WITHHELD}


@pytest.mark.parametrize("base, values, expected", [
    # beside a published base: small counts read "fewer than 5", those that protect the rest read "hidden"
    (Figure(20), [3, 18, 0, 10], [SMALL, PROTECTING, None, None]),
    # beside a hidden base, a hidden count tells nothing of its class
    (Figure(None, True, SMALL), [3, 0], [WITHHELD, None]),
])
def test_components_say_which_kind_of_hidden_they_are(base, values, expected):
    counts = pd.DataFrame({"component": [f"c{i}" for i in range(len(values))], "value": values})
    out = protect_components(counts, base, K)
    assert out["hidden"].to_list() == expected
    assert [format_figure(Figure.from_row(r), "es") for r in out.to_dict("records")] == \
        [i18n.hidden_mark(k, "es") if k else i18n.format_number(v, "es") for k, v in zip(expected, values)]
