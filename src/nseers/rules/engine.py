"""The evaluation contract: one case in, every determination with its reasons out.

``evaluate`` is pure: the case and the policy are its only inputs, and it reads no clock,
environment, file or database. The law applied is the law in force on the case's date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.rules import ids
from nseers.rules.biometrics import decide_biometrics
from nseers.rules.case import Case, parse_case
from nseers.rules.departure import decide_departure_registration
from nseers.rules.i94 import decide_i94
from nseers.rules.inspection import decide_inspection
from nseers.rules.law import Law
from nseers.rules.policy.store import Policy, default_policy
from nseers.rules.result import PortResolution, Result
from nseers.rules.special_registration import decide_special_registration


class Engine:
    """Evaluates cases against one policy; keeps the law of each date it has seen."""

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy if policy is not None else default_policy()
        self._laws: dict[date, Law] = {}
        self._known_ports: dict[str, PortResolution] = {}

    def law(self, on: date) -> Law:
        """The law in force on ``on``, built once per date."""
        law = self._laws.get(on)
        if law is None:
            if len(self._laws) > 20_000:
                self._laws.clear()
            law = self._laws[on] = Law(self.policy, on)
        return law

    def evaluate(self, case: Case) -> Result:
        """Every determination for ``case`` as of its date.

        A date before the policy's coverage is refused, naming the coverage: the engine
        never judges 1990 under the 1997 text of 8 CFR 235.1 without saying so.
        """
        coverage = self.policy.coverage_from
        if coverage is not None and case.date < coverage:
            raise InvalidInputError([FieldProblem(
                "date", f"{case.date.isoformat()} is before the law this policy holds "
                        f"(from {coverage.isoformat()})")])
        law = self.law(case.date)
        port = self.resolve_port(case, law)
        inspection = decide_inspection(case, law, port.mode)
        registration = decide_special_registration(case, law, inspection.outcome)
        i94 = decide_i94(case, law, inspection.outcome, registration.outcome == "required", port)
        return Result(
            date=case.date,
            event=case.event,
            port=port,
            determinations={
                "inspection": inspection,
                "special_registration": registration,
                "biometrics": decide_biometrics(case, law, inspection.outcome, port.mode,
                                                i94_required=i94.outcome == "required"),
                "i94": i94,
                "departure_registration": decide_departure_registration(case, law, port),
            },
            policy_version=self.policy.version,
            case_id=case.case_id,
        )

    def evaluate_raw(self, raw: Any) -> Result:
        """Parse and evaluate one case given as parsed JSON."""
        return self.evaluate(parse_case(raw))

    def resolve_port(self, case: Case, law: Law) -> PortResolution:
        """The port from the reference data, or from the case's mode and state if unknown."""
        facts = case.port
        code = facts.code
        if code:
            resolved = self._known_ports.get(code)
            if resolved is not None:
                return resolved
            known = self.policy.ports.get(code)
            if known is not None:
                # The reference data is the policy's, not of a date: one resolution per
                # port, shared by its cases (results are immutable).
                resolved = self._known_ports[code] = PortResolution(
                    known.code, known.mode, known.state, known=True, name=known.name,
                    border=known.border)
                return resolved
        if facts.mode is None:
            raise InvalidInputError([FieldProblem(
                "port.mode", f"required: the port {facts.code!r} is not in the reference data, "
                             f"so its mode (air, sea or land) must be given")])
        reason = law.reason(
            ids.PORT_UNKNOWN,
            f"The port {facts.code or '(no code)'} is not in the port reference data; it is "
            f"evaluated as a {facts.mode} port in {facts.state or 'an unstated state'}.",
            {"code": facts.code, "mode": facts.mode, "state": facts.state})
        return PortResolution(facts.code, facts.mode, facts.state, known=False, name=None,
                              border=None, reasons=(reason,))


def evaluate(case: Case, policy: Policy | None = None) -> Result:
    """Evaluate one case against ``policy`` (the built-in policy by default)."""
    return Engine(policy).evaluate(case)
