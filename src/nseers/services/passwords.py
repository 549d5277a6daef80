"""The password policy: NIST SP 800-63B (rev. 3, section 5.1.1.2; rev. 4, section 3.1.1.2).

What the guideline asks of a verifier, and how it is met here:

* Unicode is normalised before it is counted, hashed or compared (NFKC), so the same
  password typed on two keyboards is the same password; each code point counts as one
  character.
* At least :data:`MIN_PASSWORD_LENGTH` characters, at most :data:`MAX_PASSWORD_LENGTH`
  (the ceiling keeps one sign-in from hashing megabytes); no composition rules.
* A password made only of spaces, control, format or other invisible characters is
  refused: it cannot be read back or typed reliably, and twelve zero-width spaces are not a
  secret.
* Passwords "from previous breach corpuses" and context-specific words are refused: the
  username, the service's name, a password from the list of the 30,000 most common ones
  that ships inside the ``zxcvbn`` package (its ``passwords`` frequency list, drawn from
  leaked password sets), that list's entries with digits or punctuation added
  (``password1234``), and one character or one short pattern repeated.

This is the system's own security policy, not immigration law, so it lives here rather
than in the dated policy data.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Final

# zxcvbn ships no type information; its list is a dict of lists of strings.
from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

from nseers.core.errors import FieldProblem

MIN_PASSWORD_LENGTH: Final = 12
MAX_PASSWORD_LENGTH: Final = 1024
#: Words of this service's own context a password may not be.
SERVICE_WORDS: Final = frozenset({"nseers"})
#: Unicode categories that show nothing: controls, format characters (zero-width, bidi
#: marks), separators, combining marks with nothing to combine with, unassigned.
_INVISIBLE: Final = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
_NOT_LETTERS: Final = re.compile(r"[\W\d_]+")
_REPEATED: Final = re.compile(r"(.{1,4})\1+")


def normalise_password(password: str) -> str:
    """The form a password is counted, hashed and compared in (NFKC)."""
    return unicodedata.normalize("NFKC", password)


@cache
def _common() -> frozenset[str]:
    words: list[str] = FREQUENCY_LISTS["passwords"]
    return frozenset(words)


def is_common_password(password: str) -> bool:
    """Whether ``password`` (normalised) is a common one, or one with digits added."""
    lowered = normalise_password(password).casefold()
    common = _common()
    compact = "".join(lowered.split())
    letters = _NOT_LETTERS.sub("", lowered)
    return lowered in common or compact in common or (len(letters) >= 4 and letters in common)


def check_password(password: str, path: str = "password", *,
                   username: str | None = None) -> list[FieldProblem]:
    """Problems with a new password for ``username`` (an empty list: acceptable)."""
    text = normalise_password(password)
    if len(text) < MIN_PASSWORD_LENGTH:
        return [FieldProblem(path, f"at least {MIN_PASSWORD_LENGTH} characters")]
    if len(text) > MAX_PASSWORD_LENGTH:
        return [FieldProblem(path, f"at most {MAX_PASSWORD_LENGTH} characters")]
    visible = [c for c in text if unicodedata.category(c) not in _INVISIBLE]
    if not visible:
        return [FieldProblem(path, "only spaces or invisible characters: choose a password "
                                   "of characters you can see")]
    lowered = text.casefold()
    compact = _NOT_LETTERS.sub("", lowered)
    context = set(SERVICE_WORDS)
    if username:
        context |= {username.casefold(), _NOT_LETTERS.sub("", username.casefold())}
    for word in context:
        if len(word) >= 4 and (word in lowered or word in compact):
            return [FieldProblem(path, "must not contain the username or the service's name")]
    if _REPEATED.fullmatch("".join(lowered.split())):
        return [FieldProblem(path, "one character or a short pattern repeated is easy to "
                                   "guess")]
    if is_common_password(text):
        return [FieldProblem(path, "this is one of the most common passwords (or one with "
                                   "digits added); choose another")]
    return []
