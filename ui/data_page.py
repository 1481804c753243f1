"""The Data page's sections: choose and upload a file, validate, preview, confirm, undo, import log.

The tables are built by pure functions (tested directly); the render functions only lay
them out. Nothing here shows a person's record: problems name a file, row and column, the
preview and the log count rows.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

import i18n
from data_loaders.dates import ORDERS, readings
from data_loaders.errors import LoaderError, Problem
from data_loaders.limits import max_upload_bytes
from data_loaders.schemas import DATASETS
from geo.reading import TARGET_CRS
from exports.safe_cells import csv_file
from geo.units import LEVELS, territorial_units
from store import cached
from store.backup import list_backups, undo_last_import
from store.boundary_imports import (BoundaryPreview, BoundaryValidation, import_boundary_file, preview_boundaries,
                                    validate_boundaries)
from store.imports import (Preview, Validation, import_history, import_upload, log_rejection, preview_import,
                           validate_upload)
from ui.language import current_language, date, labels, number, t
from ui.tables import dataframe as table_view

BOUNDARIES = "boundaries"
COUNTRIES = ("GTM", "BOL", "PER", "COL")
PROBLEM_COLUMNS = ["kind", "file", "sheet", "row", "column", "value", "message"]
MB = 1024 * 1024
MAX_WRAPPED_ROWS = 40
_KEY = "data."
EPSG_KEY = _KEY + "boundary.epsg"


# --- Pure tables -------------------------------------------------------------------------

def problem_table(problems: list[Problem], lang: str) -> pd.DataFrame:
    """One row per problem or correction: kind, file, sheet, row, column, value, message (in `lang`).

    The message is the plain-language sentence without the location, which has its own columns.
    """
    rows = []
    for problem in problems:
        full = problem.message(lang)
        prefix = problem.location(lang) + ": "
        rows.append({
            "kind": i18n.translate(f"data.kind.{'error' if problem.is_error else 'fixed'}", lang),
            "file": problem.file, "sheet": problem.sheet, "row": problem.row, "column": problem.column,
            "value": None if problem.value is None else str(problem.value),
            "message": full[len(prefix):] if full.startswith(prefix) else full,
        })
    frame = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
    frame["row"] = frame["row"].astype("Int64")
    return frame


def problem_headers(lang: str) -> dict[str, str]:
    return {column: i18n.translate(f"data.column.{column}", lang) for column in PROBLEM_COLUMNS}


def problems_csv(frame: pd.DataFrame, lang: str) -> bytes:
    """The problem table as CSV in UTF-8 with a BOM (Excel opens accents correctly), headers in `lang`;
    a bad value a spreadsheet could run as a formula is neutralised (exports.safe_cells)."""
    headers = problem_headers(lang)
    cells = frame.astype(object).where(frame.notna(), None)
    return csv_file([[headers.get(column, column) for column in frame.columns],
                     *cells.itertuples(index=False, name=None)])


def municipality_names() -> dict[tuple[str, str], str]:
    units = territorial_units()
    municipalities = units[units["level"] == "municipality"]
    return dict(zip(zip(municipalities["country"], municipalities["code"]), municipalities["name"]))


def preview_table(preview: Preview, lang: str, names: dict[tuple[str, str], str]) -> pd.DataFrame:
    """Rows new / updated / unchanged per municipality, with country and municipality names."""
    counts = preview.by_municipality
    country = [i18n.translate(f"country.{c}", lang) if isinstance(c, str) else "" for c in counts["country"]]
    municipality = [
        f"{names.get((c, m), m)} ({m})" if isinstance(m, str) else i18n.translate("data.preview.no_place", lang)
        for c, m in zip(counts["country"], counts["municipality_code"])
    ]
    return pd.DataFrame({
        i18n.translate("data.column.country", lang): country,
        i18n.translate("data.column.municipality", lang): municipality,
        **{i18n.translate(f"data.preview.{column}", lang): [i18n.format_number(n, lang) for n in counts[column]]
           for column in ("new", "updated", "unchanged")},
    })


def dataset_label(dataset: str, lang: str) -> str:
    """'Sesiones de sensibilización', 'Límites territoriales · Guatemala · Municipios', '—' when empty."""
    if not dataset:
        return "—"
    if dataset.startswith(BOUNDARIES + ":"):
        _, country, level = dataset.split(":")
        return " · ".join([i18n.translate("data.dataset.boundaries", lang), i18n.translate(f"country.{country}", lang),
                           i18n.translate(f"data.boundary.level.{level}", lang)])
    return i18n.translate(f"data.dataset.{dataset}", lang).split(" (")[0]


# Import-log column -> its count in `store.imports.import_history`.
LOG_COUNTS = {"new": "rows_new", "updated": "rows_updated", "unchanged": "rows_unchanged", "rows": "rows_in_file",
              "problems": "problems"}


def history_table(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The import log as shown: when, who, data, file, row counts, result; headers, dates and counts in `lang`."""
    shown = pd.DataFrame({
        "when": [i18n.format_timestamp(when, lang) for when in history["imported_at"]],
        "who": history["imported_by"],
        "dataset": [dataset_label(d, lang) for d in history["dataset"]],
        "file": history["file_name"],
        "result": [i18n.translate(f"data.result.{r}", lang) for r in history["result"]],
        **{column: [i18n.format_number(None if pd.isna(n) else n, lang) for n in history[source]]
           for column, source in LOG_COUNTS.items()},
    })
    return shown.rename(columns={c: i18n.translate(f"data.log.{c}", lang) for c in shown.columns})


def date_order_examples(question: Problem, lang: str) -> list[str]:
    """Both readings of each example of a date-order question.

    '03/05/2024 → 3 de mayo de 2024 o 5 de marzo de 2024' (es), '03/05/2024 → May 3, 2024 or March 5, 2024' (en).
    """
    lines = []
    for text in question.params["examples"]:
        both = {order: i18n.format_date(day, lang) for order, day in readings(text).items()}
        lines.append(i18n.translate("data.date_order.example", lang, text=text, **both))
    return lines


def date_order_options(question: Problem, lang: str) -> dict[str, str]:
    """Order -> its label with the first example read that way: 'Día/mes/año (03/05/2024 = 3 de mayo de 2024)'."""
    text = question.params["examples"][0]
    return {order: i18n.translate(f"data.date_order.{order}", lang, text=text, date=i18n.format_date(day, lang))
            for order, day in readings(text).items()}


# --- Sections ----------------------------------------------------------------------------

def choose_target() -> tuple[str, str, str]:
    """(dataset or 'boundaries', country, level) chosen by the person."""
    options = [*DATASETS, BOUNDARIES]
    dataset = st.selectbox(t("data.kind"), options, format_func=labels("data.dataset"), key=_KEY + "dataset")
    country, level = "", ""
    if dataset == BOUNDARIES:
        left, right = st.columns(2)
        country = left.selectbox(t("data.boundary.country"), COUNTRIES, format_func=labels("country"),
                                 key=_KEY + "country")
        level = right.selectbox(t("data.boundary.level"), LEVELS, format_func=labels("data.boundary.level"),
                                key=_KEY + "level")
    return dataset, country, level


def uploader_style(lang: str, limit: str) -> str:
    """CSS that replaces the uploader's own English texts ("Upload", "200MB per file") with the catalogue's.

    Streamlit has no locale for the widget: its texts are hidden (font-size 0) and drawn again
    as ::after content, scoped to the Data page's uploader (the `data-upload` container)."""
    def css_text(key: str, **params: object) -> str:
        return '"' + i18n.translate(key, lang, **params).replace("\\", "\\\\").replace('"', '\\"') + '"'

    scope = ".st-key-data-upload [data-testid='stFileUploaderDropzone']"
    return (f"<style>{scope} button [data-testid='stMarkdownContainer'] p {{font-size:0}}"
            f"{scope} button [data-testid='stMarkdownContainer'] p::after {{content:{css_text('data.upload.button')};"
            f"font-size:0.875rem}}"
            f"{scope} [data-testid='stFileUploaderDropzoneInstructions'] span {{font-size:0}}"
            f"{scope} [data-testid='stFileUploaderDropzoneInstructions'] span::after "
            f"{{content:{css_text('data.upload.instructions', limit=limit)};font-size:0.875rem}}</style>")


def upload(dataset: str) -> tuple[Path, str] | None:
    """The uploaded file saved under a private temporary folder with its own name, and its upload id."""
    limit = number(max_upload_bytes() / MB)
    help_key = "data.upload.help.boundaries" if dataset == BOUNDARIES else "data.upload.help.dataset"
    generation = st.session_state.get(_KEY + "upload_generation", 0)
    # Every file is accepted here, of any kind and up to the server's own cap: the readers refuse what
    # they cannot read, or a file above `max_upload_mb`, with a message in the page's language (the
    # widget's own refusals are in English only).
    with st.container(key="data-upload"):
        st.html(uploader_style(current_language(), limit))  # style only: takes no room on the page
        uploaded = st.file_uploader(t("data.upload"), type=None, key=f"{_KEY}upload.{generation}")
    st.caption(t(help_key, limit=limit))
    if uploaded is None:
        return None
    folder = Path(st.session_state.setdefault(_KEY + "folder", tempfile.mkdtemp(prefix="conexion-upload-")))
    path = folder / Path(uploaded.name).name
    path.write_bytes(uploaded.getvalue())
    return path, uploaded.file_id


def _validated(key: tuple, make):
    """Validate once per upload and target (reruns reuse the result)."""
    held = st.session_state.get(_KEY + "validation")
    if held is None or held[0] != key:
        held = (key, make())
        st.session_state[_KEY + "validation"] = held
        st.session_state[_KEY + "logged"] = False
    return held[1]


def for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Empty cells blank (not 'None'), every cell as text."""
    return frame.astype("object").where(frame.notna(), "").astype(str)


def show_table(frame: pd.DataFrame) -> None:
    """A table whose long messages wrap; a scrolling grid when it is long."""
    if len(frame) <= MAX_WRAPPED_ROWS:
        st.table(for_display(frame), hide_index=True)
    else:
        table_view(for_display(frame), hide_index=True, width="stretch")


def show_problems(problems: list[Problem], fixes: list[Problem], file_name: str) -> None:
    lang = current_language()
    if problems:
        st.error(t("data.invalid", count=number(len(problems))))
        if any(p.code == "missing_columns" for p in problems):
            st.caption(t("data.invalid.columns_hint"))
        table = problem_table(problems, lang)
        show_table(table.rename(columns=problem_headers(lang)))
        st.download_button(t("data.problems.download"), problems_csv(table, lang),
                           file_name=f"{Path(file_name).stem}_problemas.csv", mime="text/csv",
                           key=_KEY + "problems_csv")
    show_fixes(fixes)


def show_fixes(fixes: list[Problem]) -> None:
    lang = current_language()
    if not fixes:
        st.caption(t("data.fixes.none"))
        return
    with st.expander(t("data.fixes.title", count=number(len(fixes))), expanded=False):
        st.caption(t("data.fixes.caption"))
        table = problem_table(fixes, lang).drop(columns=["kind"])
        show_table(table.rename(columns=problem_headers(lang)))


def _questions(upload_id: str, dataset: str, validation: Validation) -> list[Problem]:
    """The date-order questions of this upload, kept once answered so the choice can be changed."""
    held_key, held = st.session_state.get(_KEY + "questions", ((None, None), []))
    if held_key != (upload_id, dataset):
        held = []
    known = {q.params["column_key"] for q in held}
    held = held + [p for p in validation.problems if p.severity == "question" and p.params["column_key"] not in known]
    st.session_state[_KEY + "questions"] = ((upload_id, dataset), held)
    return held


def _order_key(upload_id: str, column: str) -> str:
    return f"{_KEY}date_order.{upload_id}.{column}"


def _date_orders(upload_id: str, dataset: str) -> dict[str, str]:
    """The person's answers so far (column -> order), read from the question widgets of this upload."""
    held_key, held = st.session_state.get(_KEY + "questions", ((None, None), []))
    if held_key != (upload_id, dataset):
        return {}
    answers = {q.params["column_key"]: st.session_state.get(_order_key(upload_id, q.params["column_key"]))
               for q in held}
    return {column: order for column, order in answers.items() if order in ORDERS}


def ask_date_orders(questions: list[Problem], upload_id: str) -> None:
    """One choice per date column whose order the file cannot decide, with both readings of its dates."""
    lang = current_language()
    for question in questions:
        column = question.params["column_key"]
        st.markdown(t("data.date_order.question", column=question.column,
                      count=number(len(question.params["rows"]))))
        st.markdown("\n".join(f"- {line}" for line in date_order_examples(question, lang)))
        options = date_order_options(question, lang)
        st.radio(question.column, list(ORDERS), index=None, format_func=options.get,
                 key=_order_key(upload_id, column), label_visibility="collapsed")


def dataset_steps(path: Path, upload_id: str, dataset: str, user: str) -> None:
    """Steps 1-3 for a dataset file; a date column whose order the file cannot decide is asked first."""
    date_orders = _date_orders(upload_id, dataset)

    def validate() -> Validation:
        with cached.cursor() as con:
            return validate_upload(path, dataset, con, date_orders=date_orders)

    version = cached.current_data_version()
    validation: Validation = _validated((upload_id, dataset, version, tuple(sorted(date_orders.items()))), validate)
    st.subheader(t("data.step1"))
    questions = _questions(upload_id, dataset, validation)
    if questions:
        ask_date_orders(questions, upload_id)
    if not validation.ok:
        errors = [p for p in validation.problems if p.severity != "question"]
        if errors and not st.session_state.get(_KEY + "logged"):
            log_rejection(cached.store_path(), validation, user)
            st.session_state[_KEY + "logged"] = True
        if len(errors) < len(validation.problems):
            st.info(t("data.date_order.waiting"))
        if errors:
            show_problems(errors, validation.fixes, validation.file_name)
        else:
            show_fixes(validation.fixes)
        return
    st.success(t("data.valid", rows=number(len(validation.result.frame))))
    show_fixes(validation.fixes)

    st.subheader(t("data.step2"))
    st.caption(t("data.preview.intro"))
    with cached.cursor() as con:
        preview = preview_import(con, dataset, validation.result.frame)
    new, updated, unchanged = st.columns(3)
    new.metric(t("data.preview.new"), number(preview.rows_new))
    updated.metric(t("data.preview.updated"), number(preview.rows_updated))
    unchanged.metric(t("data.preview.unchanged"), number(preview.rows_unchanged))
    st.markdown(f"**{t('data.preview.by_municipality')}**")
    show_table(preview_table(preview, current_language(), municipality_names()))

    st.subheader(t("data.step3"))
    if not preview.changes_anything:
        st.info(t("data.preview.nothing"))
    rows = preview.rows_new + preview.rows_updated + preview.rows_unchanged
    st.caption(t("data.confirm.caption"))
    if st.button(t("data.confirm.button", rows=number(rows), file=validation.file_name), type="primary",
                 key=_KEY + "confirm"):
        summary = import_upload(cached.store_path(), path, dataset, user, file_name=validation.file_name,
                                date_orders=date_orders, validation=validation)
        if summary.already_imported:
            _done(t("data.imported.same", file=summary.file_name))
        _done(t("data.imported", file=summary.file_name, new=number(summary.rows_new),
                updated=number(summary.rows_updated), unchanged=number(summary.rows_unchanged)))


def epsg_input() -> str | None:
    """The EPSG code typed for a file that declares no CRS, as 'EPSG:<n>' (None when left empty)."""
    code = st.number_input(t("data.boundary.epsg"), min_value=1, max_value=999_999, value=None, step=1,
                           format="%d", help=t("data.boundary.epsg.help"), key=EPSG_KEY)
    return None if code is None else f"EPSG:{int(code)}"


def boundary_steps(path: Path, upload_id: str, country: str, level: str, user: str) -> None:
    """Steps 1-3 for a boundary file."""
    source_crs = epsg_input()
    validation: BoundaryValidation = _validated(
        (upload_id, BOUNDARIES, country, level, source_crs),
        lambda: validate_boundaries(path, country, level, source_crs))
    lang = current_language()
    st.subheader(t("data.step1"))
    if not validation.ok:
        error = validation.error
        st.error("\n".join(p.message(lang) for p in error.problems) if isinstance(error, LoaderError)
                 else error.message(lang))
        return
    st.success(t("data.boundary.valid", units=number(len(validation.frame))))
    if validation.source_crs != TARGET_CRS:
        st.caption(t("data.boundary.read_crs", crs=validation.source_crs))
    if source_crs is not None and validation.source_crs != source_crs:
        st.caption(t("data.boundary.epsg.ignored", crs=validation.source_crs, epsg=source_crs.split(":")[1]))
    report = validation.report
    if report.get("repaired"):
        st.caption(t("data.boundary.repaired", codes=", ".join(report["repaired"])))
    if report.get("dropped_without_code") or report.get("dropped_empty"):
        st.warning(t("data.boundary.dropped", without_code=", ".join(report.get("dropped_without_code", [])) or "—",
                     empty=", ".join(report.get("dropped_empty", [])) or "—"))

    st.subheader(t("data.step2"))
    st.caption(t("data.boundary.preview.intro"))
    with cached.cursor() as con:
        preview: BoundaryPreview = preview_boundaries(con, validation.frame, country, level)
    columns = st.columns(5)
    for column, key, items in zip(columns, ("added", "changed", "unchanged", "missing", "unmatched"),
                                  (preview.added, preview.changed, preview.unchanged, preview.missing,
                                   preview.unmatched)):
        column.metric(t(f"data.boundary.{key}"), number(len(items)))
    if preview.unmatched:
        st.warning(t("data.boundary.unmatched.list", codes=", ".join(preview.unmatched)))
    else:
        st.caption(t("data.boundary.all_matched"))

    st.subheader(t("data.step3"))
    if st.button(t("data.boundary.confirm", units=number(len(validation.frame)), file=validation.file_name),
                 type="primary", key=_KEY + "confirm_boundaries"):
        summary = import_boundary_file(cached.store_path(), path, country, level, user,
                                       file_name=validation.file_name, source_crs=source_crs)
        st.session_state.pop(EPSG_KEY, None)  # the next file gets an empty field, not this file's code
        _done(t("data.imported", file=summary.file_name, new=number(summary.rows_new),
                updated=number(summary.rows_updated), unchanged=number(summary.rows_unchanged)))


def _done(message: str) -> None:
    """After an import or undo: say so on the next run, forget the upload, rerun with the new store."""
    st.session_state[_KEY + "message"] = message
    st.session_state[_KEY + "upload_generation"] = st.session_state.get(_KEY + "upload_generation", 0) + 1
    st.session_state.pop(_KEY + "validation", None)
    st.session_state.pop(_KEY + "questions", None)
    st.session_state.pop(_KEY + "undo_asked", None)
    st.rerun()


def last_message() -> None:
    """What the last import or undo did, once, in a slot drawn on every run: the page below keeps its
    positions when the message goes, so Streamlit does not draw the uploader anew (and lose a file
    being dropped) on the run after."""
    slot = st.empty()
    message = st.session_state.pop(_KEY + "message", None)
    if message:
        slot.success(message)


def undo_section(user: str) -> None:
    st.subheader(t("data.undo.title"))
    backups = list_backups(cached.store_path())
    if not backups:
        st.caption(t("data.undo.none"))
        return
    last = backups[0]
    lang = current_language()
    st.markdown(t("data.undo.describe", file=last.file_name, dataset=dataset_label(last.dataset, lang),
                  user=last.user, when=f"{date(last.created_at.date())} {last.created_at:%H:%M} UTC"))
    if not st.session_state.get(_KEY + "undo_asked"):
        if st.button(t("data.undo.button"), key=_KEY + "undo"):
            st.session_state[_KEY + "undo_asked"] = True
            st.rerun()
        return
    st.warning(t("data.undo.are_you_sure"))
    yes, no = st.columns([1, 4])
    if yes.button(t("data.undo.confirm"), type="primary", key=_KEY + "undo_yes"):
        undone = undo_last_import(cached.store_path(), user)
        _done(t("data.undone", file=undone.file_name))
    if no.button(t("data.undo.cancel"), key=_KEY + "undo_no"):
        st.session_state.pop(_KEY + "undo_asked", None)
        st.rerun()


def log_section() -> None:
    st.subheader(t("data.log.title"))
    st.caption(t("data.log.caption"))
    with cached.cursor() as con:
        history = import_history(con, cached.store_path())
    if history.empty:  # a sentence, not an empty grid (whose "empty" Streamlit writes in English)
        st.caption(t("data.log.none"))
        return
    table_view(for_display(history_table(history, current_language())), hide_index=True, width="stretch")



def public_edition_section(user: str) -> None:
    """Prepare the static public edition (exports.public_site) on click, then offer it as a .zip download;
    kept for this data version, so a new import asks for a new one."""
    from exports.public_site import site_zip
    from ui.exports import logged

    st.subheader(t("public.data.title"))
    st.markdown(t("public.data.intro"))
    key, version = _KEY + "public_edition", cached.current_data_version()
    if st.button(t("public.data.prepare"), key=_KEY + "public_prepare", icon=":material/public:"):
        with st.spinner(t("public.data.preparing")):
            data, written = logged(site_zip, "zip", "public_edition", current_language(), user)()
        st.session_state[key] = (version, data, len(written.files))
    prepared = st.session_state.get(key)
    if prepared is None or prepared[0] != version:
        return
    _, data, files = prepared
    st.caption(t("public.data.ready", files=number(files), size=f"{number(len(data) / MB, 1)} MB"))
    st.download_button(t("public.data.download"), data, file_name=f"conexion_publica_{version}.zip",
                       mime="application/zip", on_click="ignore", icon=":material/download:",
                       key=_KEY + "public_download", type="primary")
