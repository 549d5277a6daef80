"""Characters a name may not hold, and escaping them for a terminal.

A name is shown on screens, printed on forms and written to terminals. C0 and C1 control
characters (ANSI escape sequences start with one) can rewrite what a terminal shows, and
the Unicode bidirectional controls (UAX #9: embeddings, overrides, isolates and the
directional marks) can make a displayed name differ from the stored one ("Trojan Source",
CVE-2021-42574). Neither belongs in a person's name, so input holding them is refused,
naming the character; output that may hold them anyway (older records, free text) is
escaped before it reaches a terminal.
"""

from __future__ import annotations

import unicodedata
from typing import Final

#: The bidirectional formatting characters of UAX #9 (section 2).
BIDI_CONTROLS: Final = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_unsafe_character(character: str) -> bool:
    """Whether ``character`` is a C0/C1 control or a bidirectional control."""
    return unicodedata.category(character) == "Cc" or character in BIDI_CONTROLS


def unsafe_character_problem(text: str) -> str | None:
    """Why ``text`` may not be a name (its first control character), or ``None``."""
    for index, character in enumerate(text):
        if is_unsafe_character(character):
            kind = ("a bidirectional control" if character in BIDI_CONTROLS
                    else "a control character")
            return (f"contains {kind} (U+{ord(character):04X}) at position {index + 1}; "
                    f"names may not hold control or text-direction characters")
    return None


def escape_unsafe(text: str) -> str:
    """``text`` with every control and bidirectional character written as an escape
    (``\\x1b``, ``\\u202e``), safe to print on a terminal."""
    if not any(is_unsafe_character(c) for c in text):
        return text
    out = []
    for character in text:
        if is_unsafe_character(character):
            code = ord(character)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(character)
    return "".join(out)
