"""Hypothesis strategies for travel documents: the fields of a document, in any format.

A drawn document is a ``(format, fields)`` pair whose fields are the keyword arguments of
:func:`nseers.documents.render` and fit the format: names short enough not to be truncated,
dates of birth in the century before :data:`REFERENCE`, expiry dates in the window the
parser reads (see :mod:`nseers.documents.dates`), document numbers longer than nine
characters only on TD1 and TD2 (the only formats with room for them).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from nseers.documents.layouts import LAYOUTS
from nseers.documents.states import ICAO_SPECIAL_CODES, ISO_3166_ALPHA3

REFERENCE = date(2024, 6, 1)
FORMATS = ("TD1", "TD2", "TD3", "MRVA", "MRVB")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = LETTERS + "0123456789"
CODES = tuple(sorted(ISO_3166_ALPHA3)) + tuple(sorted(ICAO_SPECIAL_CODES))
DOCUMENT_CODES = {"TD1": ("I", "ID", "A", "AC", "C"), "TD2": ("I", "IR", "A", "C"),
                  "TD3": ("P", "PD", "PO", "PS"), "MRVA": ("V", "VN", "VB"),
                  "MRVB": ("V", "VC")}

words = st.text(LETTERS, min_size=1, max_size=12)
alnum = st.text(ALNUM, min_size=0, max_size=16)


def birth_dates(reference: date = REFERENCE) -> st.SearchStrategy[date]:
    """Days from just under a century before ``reference`` up to ``reference`` itself."""
    return st.dates(min_value=reference - timedelta(days=36_400), max_value=reference)


def expiry_dates(reference: date = REFERENCE) -> st.SearchStrategy[date]:
    """Days ten years either side of ``reference``."""
    return st.dates(min_value=reference - timedelta(days=3650),
                    max_value=reference + timedelta(days=3650))


@st.composite
def documents(draw: st.DrawFn, formats: tuple[str, ...] = FORMATS) -> tuple[str, dict[str, Any]]:
    """A document's format and the keyword fields that render it without truncation."""
    mrz_format = draw(st.sampled_from(formats))
    layout = LAYOUTS[mrz_format]
    name_span = layout.field("name")
    width = name_span.end - name_span.start
    surname_words = draw(st.lists(words, min_size=1, max_size=3))
    given_words = draw(st.lists(words, min_size=0, max_size=3))
    surname, given = " ".join(surname_words), " ".join(given_words)
    while len(surname.replace(" ", "<")) + (2 + len(given) if given else 0) > width:
        if given_words:
            given_words.pop()
        else:
            surname_words[-1] = surname_words[-1][:1]
            if len(surname_words) > 1:
                surname_words.pop()
        surname, given = " ".join(surname_words), " ".join(given_words)
    optional_span = layout.field(layout.optional_field)
    optional_width = optional_span.end - optional_span.start
    longest_number = 12 if layout.long_document_number else 9
    number = draw(st.text(ALNUM, min_size=1, max_size=longest_number))
    room = optional_width - (len(number) - 9 + 2 if len(number) > 9 else 0)
    optional = draw(st.text(ALNUM, min_size=0, max_size=max(0, room)))
    birth = draw(birth_dates())
    expiry = draw(expiry_dates().filter(lambda day: day >= birth))
    fields: dict[str, Any] = {
        "document_code": draw(st.sampled_from(DOCUMENT_CODES[mrz_format])),
        "issuing_state": draw(st.sampled_from(CODES)),
        "surname": surname,
        "given_names": given,
        "document_number": number,
        "nationality": draw(st.sampled_from(CODES)),
        "date_of_birth": birth,
        "sex": draw(st.sampled_from(("M", "F", "X"))),
        "date_of_expiry": expiry,
        layout.optional_field: optional,
    }
    if mrz_format == "TD1":
        fields["optional_data_2"] = draw(st.text(ALNUM, max_size=11))
    return mrz_format, fields
