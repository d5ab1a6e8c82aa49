"""Search words are marked in titles as the search matches them: without case or accents."""

from __future__ import annotations

import datetime as dt

from rich.style import Style

from reader.formatting import fold, folded_with_positions
from reader.widgets.article_list import ArticleList

MARK = Style(underline=True)


def marked(words: tuple[str, ...], title: str) -> list[tuple[str, bool]]:
    articles = ArticleList(clock=lambda: dt.datetime(2026, 11, 26, tzinfo=dt.UTC))
    articles.set_highlight(words)
    return [
        (seg.text, bool(seg.style and seg.style.underline))
        for seg in articles._title_segments(title, Style(), MARK)
    ]


def test_fold_drops_case_and_accents_and_keeps_positions():
    assert fold("São Paulo ÉCOLE") == "sao paulo ecole"
    assert fold("plain ASCII") == "plain ascii"
    text, positions = folded_with_positions("ﬁne Straße")
    assert text == "fine strasse"
    assert positions is not None and len(positions) == len(text)
    assert ["ﬁne Straße"[i] for i in positions] == list("ﬁﬁne Straßße")
    assert folded_with_positions("ascii") == ("ascii", None)


def test_accented_titles_are_marked_for_unaccented_words_and_back():
    assert marked(("sao",), "São Paulo pilots") == [("São", True), (" Paulo pilots", False)]
    assert marked(("são",), "Sao Paulo") == [("Sao", True), (" Paulo", False)]
    assert marked(("strasse",), "Die Straße") == [("Die ", False), ("Straße", True)]
    # Word beginnings only, as before: no mark inside "ASAO".
    assert marked(("sao",), "ASAO, São") == [("ASAO, ", False), ("São", True)]
    assert marked(("ecole",), "École") == [("École", True)]
    assert marked((), "École") == [("École", False)]
