"""Refusal of entry: which coded grounds, procedure and disposition the law allows together.

An officer refuses an applicant for admission on one or more grounds of inadmissibility
(INA 212(a)), by one procedure (withdrawal of the application, INA 235(a)(4) and 8 CFR
235.4; expedited removal, INA 235(b)(1) and 8 CFR 235.3(b); or a Notice to Appear for
removal proceedings, INA 240 and 8 CFR 235.6), and records what followed. The codes, their
citations and the combinations are dated policy data (``refusals.yaml``); this module
checks a refusal against the law in force on its date and explains it.

We check only what the law makes impossible in plain words:

- expedited removal rests on 212(a)(6)(C) or 212(a)(7) alone, and no other ground may be
  charged in it (INA 235(b)(1)(A)(i); 8 CFR 235.3(b)(3)): a refusal by expedited removal
  that names any other ground is refused as input;
- each procedure has the dispositions it can end in (``refusal.procedures``): a credible
  fear referral exists only in expedited removal (8 CFR 235.3(b)(4)), and "permitted to
  withdraw" only with a withdrawal (8 CFR 235.4).

Anything the law leaves to the officer's judgement (which ground to charge, parole) is not
second-guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.rules import ids
from nseers.rules.law import Law
from nseers.rules.policy.parameters import RefusalCode, RefusalProcedure
from nseers.rules.result import Reason

GROUNDS = "refusal.grounds"
PROCEDURES = "refusal.procedures"
DISPOSITIONS = "refusal.dispositions"
EXPEDITED_REMOVAL_GROUNDS = "refusal.expedited_removal_grounds"
#: The procedure whose grounds are limited (a name in the policy's ``refusal.procedures``).
EXPEDITED_REMOVAL = "expedited_removal"


@dataclass(frozen=True, slots=True)
class RefusalAssessment:
    """A refusal the law allows: each code's title and citation, and the reasons."""

    grounds: tuple[dict[str, str], ...]
    procedure: dict[str, str]
    disposition: dict[str, str]
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        """The refusal's explanation, as stored with the record and shown with it."""
        return {"outcome": "refused", "grounds": list(self.grounds),
                "procedure": self.procedure, "disposition": self.disposition,
                "reasons": [r.to_dict() for r in self.reasons]}


def coded_lists(law: Law) -> dict[str, Any]:
    """The grounds, procedures and dispositions in force (for forms and the API)."""
    grounds: dict[str, RefusalCode] = law.value(GROUNDS, {})
    procedures: dict[str, RefusalProcedure] = law.value(PROCEDURES, {})
    dispositions: dict[str, RefusalCode] = law.value(DISPOSITIONS, {})
    return {
        "grounds": {code: {"title": g.title, "citation": g.citation}
                    for code, g in grounds.items()},
        "procedures": {code: {"title": p.title, "citation": p.citation,
                              "dispositions": list(p.dispositions)}
                       for code, p in procedures.items()},
        "dispositions": {code: {"title": d.title, "citation": d.citation}
                         for code, d in dispositions.items()},
        "expedited_removal_grounds": list(law.value(EXPEDITED_REMOVAL_GROUNDS, [])),
    }


def assess_refusal(law: Law, grounds: Sequence[str], procedure: str,
                   disposition: str) -> RefusalAssessment:
    """Check a refusal against the law on ``law.on`` and explain it.

    Raises :class:`InvalidInputError` naming ``grounds[i]``, ``procedure`` or
    ``disposition`` for a code not in force on the date, a repeated ground, or a
    combination the law rules out.
    """
    known_grounds: dict[str, RefusalCode] = law.value(GROUNDS, {})
    procedures: dict[str, RefusalProcedure] = law.value(PROCEDURES, {})
    dispositions: dict[str, RefusalCode] = law.value(DISPOSITIONS, {})
    on = law.on.isoformat()
    problems: list[FieldProblem] = []
    if not grounds:
        problems.append(FieldProblem("grounds", "at least one ground of inadmissibility is "
                                                "required"))
    seen: set[str] = set()
    for index, code in enumerate(grounds):
        if code not in known_grounds:
            problems.append(FieldProblem(f"grounds[{index}]", _unknown("ground", code, on,
                                                                       known_grounds)))
        elif code in seen:
            problems.append(FieldProblem(f"grounds[{index}]", f"{code!r} is listed twice"))
        seen.add(code)
    chosen = procedures.get(procedure)
    if chosen is None:
        problems.append(FieldProblem("procedure", _unknown("procedure", procedure, on,
                                                           procedures)))
    if disposition not in dispositions:
        problems.append(FieldProblem("disposition", _unknown("disposition", disposition, on,
                                                             dispositions)))
    elif chosen is not None and disposition not in chosen.dispositions:
        problems.append(FieldProblem(
            "disposition", f"{disposition!r} cannot follow {procedure!r} "
                           f"({chosen.citation}): it may end in "
                           f"{', '.join(chosen.dispositions)}"))
    limited: list[str] = law.value(EXPEDITED_REMOVAL_GROUNDS, [])
    if procedure == EXPEDITED_REMOVAL:
        version = law.in_force.get(EXPEDITED_REMOVAL_GROUNDS)
        citation = version.citation if version is not None else "INA 235(b)(1)(A)(i)"
        for index, code in enumerate(grounds):
            if code in known_grounds and code not in limited:
                problems.append(FieldProblem(
                    f"grounds[{index}]",
                    f"expedited removal rests only on {', '.join(limited)} ({citation}); "
                    f"charge {code!r} in removal proceedings (notice_to_appear) instead"))
    if problems:
        raise InvalidInputError(problems)
    assert chosen is not None  # noqa: S101 - a problem was raised otherwise
    reasons = [law.parameter_reason(
        ids.REFUSAL_GROUND, GROUNDS,
        f"Inadmissible: {known_grounds[code].title} ({known_grounds[code].citation}).",
        {"ground": code, "citation": known_grounds[code].citation}) for code in grounds]
    reasons.append(law.parameter_reason(
        ids.REFUSAL_PROCEDURE, PROCEDURES, f"{chosen.title} ({chosen.citation}).",
        {"procedure": procedure, "citation": chosen.citation}))
    if procedure == EXPEDITED_REMOVAL:
        reasons.append(law.parameter_reason(
            ids.REFUSAL_EXPEDITED_REMOVAL_GROUNDS, EXPEDITED_REMOVAL_GROUNDS,
            "Expedited removal may rest only on 212(a)(6)(C) or 212(a)(7) grounds; every "
            "ground charged is one of them.",
            {"grounds": list(grounds), "allowed": list(limited)}))
    followed = dispositions[disposition]
    reasons.append(law.parameter_reason(
        ids.REFUSAL_DISPOSITION, DISPOSITIONS, f"{followed.title} ({followed.citation}).",
        {"disposition": disposition, "procedure": procedure,
         "allowed": list(chosen.dispositions)}))
    return RefusalAssessment(
        grounds=tuple({"code": c, "title": known_grounds[c].title,
                       "citation": known_grounds[c].citation} for c in grounds),
        procedure={"code": procedure, "title": chosen.title, "citation": chosen.citation},
        disposition={"code": disposition, "title": followed.title,
                     "citation": followed.citation},
        reasons=tuple(reasons))


def _unknown(what: str, code: str, on: str, known: dict[str, Any]) -> str:
    if not known:
        return f"no {what}s of refusal are in force on {on}"
    return f"not a {what} in force on {on}: {code!r} (one of {', '.join(sorted(known))})"
