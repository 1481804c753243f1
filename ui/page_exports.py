"""Download widgets of the pages' tables: a `PageTable` with its notes (title, definitions, source, data date)."""

from __future__ import annotations

import datetime as dt

from exports.page_tables import PageTable
from exports.tables import TableNotes
from store import cached
from ui.exports import table_downloads
from ui.language import current_language, t


def data_date() -> dt.date | None:
    """The date of the latest import (the "data as of" of every view)."""
    return cached.data_updated_on(cached.current_data_version())


def notes(title: str, *indicator_ids: str, data_date_: dt.date | None = None) -> TableNotes:
    """The notes sheet of a table: its title, the definitions of `indicator_ids`, source, data date, protection rule."""
    definitions = tuple((t(f"indicator.{i}.label"), t(f"indicator.{i}.definition")) for i in indicator_ids)
    return TableNotes(title=title, lang=current_language(), source=t("page_exports.source"),
                      data_date=data_date_ or data_date(), definitions=definitions)


def downloads(table: PageTable, name: str, table_notes: TableNotes, key: str, indicator: str | None = None,
              level: str | None = None) -> None:
    """CSV, Excel and the HXL box for `table`, right under it; `name` (snake_case) names the files."""
    table_downloads(table.frame, name, table_notes, headers=table.headers, indicator=indicator, level=level, key=key,
                    hxl_tags=table.hxl_tags)
