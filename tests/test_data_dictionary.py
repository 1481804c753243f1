"""The committed data dictionary is the one rendered from the schemas."""

from __future__ import annotations

from data_loaders.dictionary import OUTPUT, render_data_dictionary
from data_loaders.schemas import DATASETS


def test_committed_dictionary_is_up_to_date():
    assert OUTPUT.read_text(encoding="utf-8") == render_data_dictionary(), (
        "docs/data-dictionary.md is stale: run `python -m data_loaders.dictionary`")


def test_every_dataset_and_column_documented():
    text = render_data_dictionary()
    for dataset, schema in DATASETS.items():
        assert f"## {dataset}\n" in text
        for column in schema.columns:
            assert f"| `{column}` |" in text
