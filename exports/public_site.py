"""The static public edition: a folder of HTML pages (overview, territorial map, MISKA outcomes, prevention
network, methods) in Spanish and English, with interactive Plotly charts, that opens offline.

    python -m exports.public_site OUT

Layout: OUT/index.html chooses the language; OUT/es/*.html and OUT/en/*.html (index.html is the overview)
link to each other and to the same page in the other language; OUT/assets/ holds plotly.js (from the
installed plotly package, written once) and the style sheet (system fonts). Every link is relative and
nothing is fetched from the internet, so the folder opens from a USB stick (file://) or any static server.
The pages' content is `exports.public_pages` / `exports.public_programmes` (the presenter's published figures).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import logging
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markdown
import pandas as pd
import plotly.graph_objects as go
from markupsafe import Markup
from plotly.offline import get_plotlyjs

import i18n
from exports import public_pages, public_programmes
from exports.public_pages import PublicPage
from ui import layout
from ui.language import speaking, t

TEMPLATES = Path(__file__).resolve().parent / "public_templates"
ASSETS = "assets"
PLOTLY_JS = "plotly.min.js"
STYLE = "style.css"
FILES = {"overview": "index.html", "territorial_map": "territorial_map.html", "reintegration": "reintegration.html",
         "prevention_network": "prevention_network.html", "methods": "methods.html"}
BUILDERS = {"overview": public_pages.overview_page, "territorial_map": public_pages.territorial_map_page,
            "reintegration": public_programmes.reintegration_page, "prevention_network": public_programmes.network_page,
            "methods": public_pages.methods_page}
# No mode bar link to a cloud service; the chart keeps its zoom and hover, and its PNG button (made in the browser).
CHART_CONFIG = {"displaylogo": False, "responsive": True, "plotlyServerURL": ""}


@dataclass(frozen=True)
class Written:
    """What `build_site` wrote: the folder, its files (relative paths) and their total size in bytes."""

    folder: Path
    files: tuple[str, ...]
    size: int


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["markdown"] = lambda text: Markup(markdown.markdown(str(text)))
    return env


def chart_html(figure: go.Figure, chart_id: str) -> Markup:
    """A figure as a div and the script that draws it with the folder's plotly.js (loaded once in the head).

    Axes grow their margins to fit their labels, as in the dashboard (Streamlit's Plotly theme does it there).
    """
    figure = go.Figure(figure).update_xaxes(automargin=True).update_yaxes(automargin=True)
    return Markup(figure.to_html(full_html=False, include_plotlyjs=False, div_id=chart_id, config=CHART_CONFIG))


def table_html(table: pd.DataFrame) -> Markup:
    return Markup(table.to_html(index=False, escape=True, border=0, na_rep="–"))


def _blocks(page: PublicPage) -> list[dict]:
    return [{"heading": b.heading, "sentence": b.sentence, "cards": b.cards, "level": b.level, "notes": b.notes,
             "chart": chart_html(b.figure, f"chart-{page.key}-{n}") if b.figure is not None else None,
             "table": table_html(b.table) if b.table is not None else None}
            for n, b in enumerate(page.blocks, start=1)]


def render_page(env: jinja2.Environment, page: PublicPage, lang: str, today: dt.date) -> str:
    """One page in `lang` (called inside `speaking(lang)`): navigation, blocks, date, privacy rule, source."""
    other = next(code for code in i18n.LANGUAGES if code != lang)
    data_date = layout.data_date()
    return env.get_template("page.html").render(
        lang=lang, page=page, blocks=_blocks(page), site_title=t("public.site.title"),
        skip=t("a11y.skip_to_content"), nav_label=t("public.site.nav"),
        nav=[{"href": FILES[key], "label": t(f"nav.{key}"), "current": key == page.key} for key in FILES],
        other_language={"href": f"../{other}/{FILES[page.key]}", "lang": other,
                        "label": t("public.site.other_language")},
        data_date=t("public.site.data_date", date=data_date), interactive=t("public.site.interactive"),
        privacy=i18n.hidden_note(lang), source=t("source.footer", date=data_date, attribution=t("source.attribution")),
        generated=t("public.site.generated", date=i18n.format_date(today, lang)))


def _index(env: jinja2.Environment) -> str:
    choices = []
    for lang in i18n.LANGUAGES:
        with speaking(lang):
            choices.append({"lang": lang, "title": t("public.site.title"), "choose": t("public.site.choose"),
                            "name": t("public.site.language_name"),
                            "data_date": t("public.site.data_date", date=layout.data_date())})
    return env.get_template("index.html").render(choices=choices, titles=[c["title"] for c in choices])


def build_site(out: Path, languages: tuple[str, ...] = i18n.LANGUAGES) -> Written:
    """Write the public edition into `out` (created; files of an earlier edition there are replaced)."""
    out = Path(out)
    env = _environment()
    today = dt.date.today()
    (out / ASSETS).mkdir(parents=True, exist_ok=True)
    (out / ASSETS / PLOTLY_JS).write_text(get_plotlyjs(), encoding="utf-8")
    shutil.copyfile(TEMPLATES / STYLE, out / ASSETS / STYLE)
    (out / "index.html").write_text(_index(env), encoding="utf-8")
    for lang in languages:
        (out / lang).mkdir(exist_ok=True)
        with speaking(lang):
            for key, build in BUILDERS.items():
                (out / lang / FILES[key]).write_text(render_page(env, build(), lang, today), encoding="utf-8")
    files = tuple(sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()))
    return Written(out, files, sum((out / f).stat().st_size for f in files))


def site_zip() -> tuple[bytes, Written]:
    """The public edition as a .zip (its files under conexion_publica/), and what was written."""
    with tempfile.TemporaryDirectory() as folder:
        written = build_site(Path(folder) / "conexion_publica")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in written.files:
                archive.write(written.folder / name, f"conexion_publica/{name}")
    return buffer.getvalue(), written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the static public edition (HTML, offline) into a folder.")
    parser.add_argument("out", type=Path, help="folder to write (created)")
    args = parser.parse_args(argv)
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # no session here: cache warnings are noise
    written = build_site(args.out)
    print(f"{len(written.files)} files, {written.size / 1e6:.1f} MB in {written.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
