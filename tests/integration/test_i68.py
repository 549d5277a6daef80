"""Form I-68: a family's application, its adjudication, the permit and its revocation."""

from __future__ import annotations

from datetime import date

import pytest

from integration.helpers import DIRECTOR, PRIMARY
from nseers.core.errors import ConflictError, ForbiddenError, InvalidInputError
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.i68 import (
    I68ApplicationCommand,
    I68DecisionCommand,
    I68MemberFacts,
    RevocationCommand,
    decide_i68,
    fee_preview,
    file_i68,
    revoke_permit,
)


def _family(filed_on: date, **changes: object) -> I68ApplicationCommand:
    def member(given: str, born: date, relationship: str, number: str,
               **extra: object) -> I68MemberFacts:
        return I68MemberFacts(PersonFacts(surname="TREMBLAY", given_names=given,
                                          date_of_birth=born, citizenships=("CAN",)),
                              relationship, documents=(DocumentFacts("passport", number, "CAN"),),
                              **extra)  # type: ignore[arg-type]
    values: dict = {"port_code": "BLAINE", "filed_on": filed_on, "evidence": ("passports.pdf",),
                    "members": (member("LUC", date(1970, 1, 1), "principal", "CA1"),
                                member("MARIE", date(1972, 2, 2), "spouse", "CA2"),
                                member("EMMA", date(2010, 3, 3), "child", "CA3"),
                                member("NOAH", date(1989, 4, 4), "child", "CA4"))}
    values.update(changes)
    return I68ApplicationCommand(**values)


def test_a_family_files_pays_the_fee_of_its_eligible_members_and_gets_a_permit(
        registry: Registry) -> None:
    filed = file_i68(registry, PRIMARY, _family(date(2012, 5, 1)))
    eligible = [m["eligible"] for m in filed["members"]]
    assert eligible == [True, True, True, False]  # Noah is 21 or older
    assert filed["fee_usd"] > 0
    decided = decide_i68(registry, DIRECTOR, I68DecisionCommand(
        filed["application_id"], True, date(2012, 5, 10)))
    permit = decided["permit"]
    assert permit["issued_on"] == "2012-05-10"
    assert permit["expires_on"] == "2013-05-09"
    assert any("merchandise" in c for c in permit["conditions"])
    with pytest.raises(ConflictError):
        decide_i68(registry, DIRECTOR, I68DecisionCommand(
            filed["application_id"], False, date(2012, 5, 11), "no"))
    revoke_permit(registry, DIRECTOR, RevocationCommand(permit["number"], date(2012, 8, 1),
                                                        "landed merchandise"))
    with pytest.raises(ConflictError) as raised:
        revoke_permit(registry, DIRECTOR, RevocationCommand(permit["number"], date(2012, 8, 2),
                                                            "again"))
    assert raised.value.code == "already_revoked"


def test_a_denied_family_may_apply_again_from_day_90_and_is_told_the_date(
        registry: Registry) -> None:
    filed = file_i68(registry, PRIMARY, _family(date(2012, 5, 1)))
    with pytest.raises(InvalidInputError):
        decide_i68(registry, DIRECTOR, I68DecisionCommand(
            filed["application_id"], False, date(2012, 5, 10)))
    decide_i68(registry, DIRECTOR, I68DecisionCommand(
        filed["application_id"], False, date(2012, 5, 10), "incomplete evidence"))
    with pytest.raises(ConflictError) as raised:
        file_i68(registry, PRIMARY, _family(date(2012, 8, 7)))
    assert raised.value.code == "reapplication_too_early"
    assert "2012-08-08" in str(raised.value)
    again = file_i68(registry, PRIMARY, _family(date(2012, 8, 8)))
    assert again["status"] == "pending"


def test_only_a_district_director_adjudicates(registry: Registry) -> None:
    filed = file_i68(registry, PRIMARY, _family(date(2012, 5, 1)))
    with pytest.raises(ForbiddenError):
        decide_i68(registry, PRIMARY, I68DecisionCommand(
            filed["application_id"], True, date(2012, 5, 10)))


def test_an_application_without_a_principal_names_the_field(registry: Registry) -> None:
    family = _family(date(2012, 5, 1))
    with pytest.raises(InvalidInputError) as raised:
        file_i68(registry, PRIMARY, _family(date(2012, 5, 1), members=family.members[1:]))
    assert "members[0].relationship" in {p.path for p in raised.value.problems}


def test_a_uk_citizen_at_a_mexican_border_port_is_told_both_problems_at_once(
        registry: Registry) -> None:
    """Issue 15: found eligible before; now the port and the group are both refused, in
    one answer, and nothing is recorded."""
    briton = I68MemberFacts(PersonFacts(surname="SMITH", given_names="JOHN",
                                        date_of_birth=date(1970, 1, 1), citizenships=("GBR",)),
                            "principal", documents=(DocumentFacts("passport", "GB1", "GBR"),))
    with pytest.raises(InvalidInputError) as raised:
        file_i68(registry, PRIMARY, _family(date(2010, 5, 1), port_code="SAN YSIDRO",
                                            members=(briton,)))
    paths = {p.path: p.message for p in raised.value.problems}
    assert set(paths) == {"port_code", "members[0].person.citizenships"}
    assert "not on the canada border" in paths["port_code"]
    assert "GBR is none of these" in paths["members[0].person.citizenships"]
    landed = file_i68(registry, PRIMARY, _family(date(2010, 5, 1), members=(
        I68MemberFacts(briton.person, "principal", documents=briton.documents,
                       canadian_permanent_resident=True),)))
    assert landed["members"][0]["eligible"] is True


def test_a_family_member_in_no_eligible_group_is_not_counted_in_the_fee(
        registry: Registry) -> None:
    family = _family(date(2010, 5, 1))
    guest = I68MemberFacts(PersonFacts(surname="TREMBLAY", given_names="ANA",
                                       date_of_birth=date(1972, 2, 2), citizenships=("BRA",)),
                           "spouse", documents=(DocumentFacts("passport", "BR1", "BRA"),))
    answer = file_i68(registry, PRIMARY, _family(date(2010, 5, 1),
                                                 members=(family.members[0], guest)))
    assert [m["eligible"] for m in answer["members"]] == [True, False]
    assert "BRA is none of these" in answer["members"][1]["reason"]
    assert answer["fee_usd"] == 16


def test_the_fee_preview_applies_the_eligible_groups_as_the_filing_does(
        registry: Registry) -> None:
    family = _family(date(2010, 5, 1)).members
    briton = I68MemberFacts(PersonFacts(surname="SMITH", date_of_birth=date(1972, 2, 2),
                                        citizenships=("GBR",)), "spouse")
    untyped = I68MemberFacts(PersonFacts(surname="SMITH", date_of_birth=date(2005, 2, 2)),
                             "child")
    preview = fee_preview(registry, [family[0], briton, untyped], date(2010, 5, 1))
    assert [preview.checks[i].eligible for i in range(3)] == [True, False, True]
    assert "GBR is none of these" in preview.checks[1].reason
    assert preview.fee_usd == 32
