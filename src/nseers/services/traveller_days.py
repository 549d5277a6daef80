"""The traveller's own days: a one-time code, then every I-94, every trip and the days left.

A traveller proves who they are in two steps. First the details printed in their passport
(name, date of birth, document number) and, optionally, the e-mail address they gave at
inspection: when these match exactly one person with an e-mail address on record (and the
address typed, if any, is that one), a six-digit code is sent there. The answer is the same
whether or not anything matched or anything was sent, so the form tells nothing about
anyone. Second the code, with the challenge the first step returned: it works once, for a
few minutes and a few tries (``traveller.code_*`` in the policy data, after NIST SP
800-63B), and it is kept only as a salted hash.

What the traveller then sees (EES Art. 11 and the CBP I-94 website): every I-94, newest
first, with the admit-until date, the days remaining or over for each one still open
(:mod:`nseers.rules.stay`), and the departure record that closed each one that is closed;
the travel history; and the EES rolling-window count as an overlay.

Every step is audited, found or not, with its own action name
(``self_service.code_requested``, ``self_service.code_refused``,
``self_service.days_viewed``); reminders before the admit-until date are
:func:`send_reminders` (``traveller.reminder_sent``).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Final, NoReturn

from annotated_types import MaxLen, MinLen
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from nseers.core.actors import Actor, Permission, Role
from nseers.core.errors import (
    ConflictError,
    FieldProblem,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
)
from nseers.core.fields import BodyDefault, Client, Email, NamePart
from nseers.db.uow import UnitOfWork
from nseers.registry.encounters import Encounter
from nseers.registry.i94 import I94Record
from nseers.registry.people import Person, PersonName, TravelDocument, name_key
from nseers.registry.traveller_days import (
    OneTimeCode,
    ReminderSent,
    TravellerAccountLink,
    TravellerContact,
)
from nseers.rules.engine import Engine as RulesEngine
from nseers.rules.law import Law
from nseers.rules.stay import Stay, authorised_stay, rolling_window
from nseers.services.contacts import normalised_email
from nseers.services.context import Registry
from nseers.services.mail import Mail, Sender
from nseers.services.people import IDENTITY_DOCUMENTS
from nseers.services.travel_history import one_entry_per_arrival

logger = logging.getLogger("nseers.traveller_days")

#: What the first step always answers, matched or not.
CODE_SENT: Final = ("If these details match a record with an e-mail address on file, a "
                    "code has been sent there. Enter it below.")
CODE_REFUSED: Final = "the code is wrong or has expired; ask for a new code"


@dataclass(frozen=True, slots=True)
class CodeRequest:
    """The passport details, the e-mail address if the traveller types one, the client."""

    surname: Annotated[str, MinLen(1), MaxLen(200)]
    given_names: Annotated[NamePart, BodyDefault("")]
    date_of_birth: date
    document_number: Annotated[str, MinLen(1), MaxLen(40)]
    email: Email | None = None
    client: Client = None


@dataclass(frozen=True, slots=True)
class CodeAnswer:
    """The challenge the first step returned and the code the traveller received."""

    challenge: Annotated[str, MinLen(1), MaxLen(100)]
    code: Annotated[str, MinLen(1), MaxLen(12)]
    client: Client = None


def _hash(salt: str, code: str) -> str:
    return hmac.new(bytes.fromhex(salt), code.encode(), hashlib.sha256).hexdigest()


def _challenge_key(challenge: str) -> str:
    return hashlib.sha256(challenge.encode()).hexdigest()


def _matching_person(session: Session, query: CodeRequest) -> int | None:
    """The one person whose name, date of birth and identity document match, else None
    (as the I-94 look-up matches: names as search keys, any of the person's scripts)."""
    matches = session.execute(
        select(Person.id).distinct()
        .join(TravelDocument, TravelDocument.person_id == Person.id)
        .join(PersonName, PersonName.person_id == Person.id)
        .where(TravelDocument.number == query.document_number.strip().upper(),
               TravelDocument.kind.in_(IDENTITY_DOCUMENTS),
               Person.date_of_birth == query.date_of_birth,
               PersonName.surname_key == name_key(query.surname),
               PersonName.given_names_key == name_key(query.given_names))
        .limit(2)).scalars().all()
    return matches[0] if len(matches) == 1 else None


def _sender(registry: Registry) -> Sender:
    if registry.sender is None:
        raise ConflictError("mail_not_configured",
                            "this installation sends no e-mail, so no code can be sent")
    return registry.sender


def request_code(registry: Registry, actor: Actor, query: CodeRequest) -> dict[str, Any]:
    """Send a one-time code to the matching person's e-mail on record, if any; answer the
    same either way: a fresh challenge, the code's lifetime in minutes, and a message."""
    problems = [FieldProblem(name, "required") for name in ("surname", "document_number")
                if not getattr(query, name).strip()]
    if problems:
        raise InvalidInputError(problems)
    typed = normalised_email(query.email)
    sender = _sender(registry)
    challenge = secrets.token_urlsafe(24)
    with registry.work(actor, Permission.SELF_SERVICE) as uow:
        law = registry.rules.law(uow.now.date())
        lifetime = int(law.value("traveller.code_lifetime_minutes", 10))
        person_id = _matching_person(uow.session, query)
        contact = None if person_id is None else uow.session.get(TravellerContact, person_id)
        if person_id is None:
            outcome = "no_match"
        elif contact is None:
            outcome = "no_contact"
        elif typed is not None and typed != contact.email:
            outcome = "contact_mismatch"
        elif _open_codes(uow, contact.person_id) >= int(
                law.value("traveller.max_open_codes", 3)):
            outcome = "throttled"
        else:
            outcome = "sent"
        message_id = None
        if contact is not None and outcome == "sent":
            digits = int(law.value("traveller.code_digits", 6))
            code = f"{secrets.randbelow(10 ** digits):0{digits}d}"
            try:
                # Sent before the code is stored: a failed delivery stores nothing and
                # answers as every other case does (an error would say someone matched).
                message_id = sender.send(Mail(
                    contact.email, "Your code to see your I-94 and travel days",
                    f"Your code is {code}.\n\nIt works once, for {lifetime} minutes. If you "
                    "did not ask for it, ignore this message: nobody can use it without "
                    "your passport details.\n"), uow.now)
            except OSError as error:
                outcome = "send_failed"
                # The error's text may hold the address: only its kind is logged.
                logger.warning("a one-time code could not be sent (%s)",
                               type(error).__name__)
            else:
                salt = secrets.token_hex(16)
                uow.session.add(OneTimeCode(
                    challenge=_challenge_key(challenge), person_id=contact.person_id,
                    salt=salt, code_hash=_hash(salt, code), created_at=uow.now,
                    expires_at=uow.now + timedelta(minutes=lifetime), attempts=0,
                    max_attempts=int(law.value("traveller.code_max_attempts", 5))))
        uow.audit("self_service.code_requested",
                  "persons" if person_id is None else f"persons:{person_id}", person_id,
                  outcome=outcome, client=query.client, message_id=message_id)
        uow.commit()
    return {"challenge": challenge, "expires_in_minutes": lifetime, "message": CODE_SENT}


def _open_codes(uow: UnitOfWork, person_id: int) -> int:
    """Codes of the person still usable now: each request while some are open would
    otherwise mail the person again, so the cap keeps the form from flooding a mailbox."""
    return int(uow.session.execute(
        select(func.count()).select_from(OneTimeCode).where(
            OneTimeCode.person_id == person_id, OneTimeCode.used_at.is_(None),
            OneTimeCode.attempts < OneTimeCode.max_attempts,
            OneTimeCode.expires_at > uow.now)).scalar_one())


def verify_code(registry: Registry, actor: Actor, answer: CodeAnswer, *,
                link_account: bool = False) -> dict[str, Any]:
    """The traveller's days, for a right code answered in time; the code is then spent.

    A wrong code counts an attempt; a wrong, expired, spent or unknown challenge gets the
    same refusal, naming the ``code`` field. Consuming the code is one conditional update,
    so two requests racing with the right code cannot both succeed. With
    ``link_account`` the signed-in traveller's account is tied to the person (audited as
    ``self_service.account_linked``), so that afterwards signing in is enough
    (:func:`my_days`).
    """
    if link_account and actor.role is not Role.TRAVELLER:
        raise ForbiddenError(actor.role.value, "link a traveller account")
    code = answer.code.strip()
    if not code.isdigit():
        raise InvalidInputError([FieldProblem("code", "must be the digits of the code")])
    with registry.work(actor, Permission.SELF_SERVICE) as uow:
        session, now = uow.session, uow.now
        row = session.execute(select(OneTimeCode).where(
            OneTimeCode.challenge == _challenge_key(answer.challenge.strip()))
        ).scalar_one_or_none()
        usable = (OneTimeCode.used_at.is_(None),
                  OneTimeCode.attempts < OneTimeCode.max_attempts,
                  OneTimeCode.expires_at > now)
        if row is None or not hmac.compare_digest(row.code_hash, _hash(row.salt, code)):
            if row is not None:
                session.execute(update(OneTimeCode).where(OneTimeCode.id == row.id, *usable)
                                .values(attempts=OneTimeCode.attempts + 1))
            _refuse(uow, row, "unknown_challenge" if row is None else "wrong_code", answer)
        consumed = session.execute(update(OneTimeCode).where(OneTimeCode.id == row.id,
                                                             *usable)
                                   .values(used_at=now)).rowcount  # type: ignore[attr-defined]
        if consumed != 1:
            _refuse(uow, row, "expired_spent_or_exhausted", answer)
        view = traveller_days(session, registry.rules.law(now.date()), row.person_id)
        if link_account:
            link = session.get(TravellerAccountLink, actor.username)
            if link is None:
                link = TravellerAccountLink(username=actor.username)
                session.add(link)
            link.person_id, link.linked_at = row.person_id, now
            uow.audit("self_service.account_linked", f"persons:{row.person_id}",
                      row.person_id, account=actor.username, client=answer.client)
        uow.audit("self_service.days_viewed", f"persons:{row.person_id}", row.person_id,
                  client=answer.client, via="code", i94s=[i["number"] for i in view["i94s"]])
        uow.commit()
        return view


def my_days(registry: Registry, actor: Actor, client: str | None = None) -> dict[str, Any]:
    """The signed-in traveller's own days, through the person their account is linked to;
    404 until the account has been linked once with a code. Only a traveller account is
    ever linked, so any other account finds no record (and reads nothing)."""
    if actor.role is not Role.TRAVELLER:
        raise NotFoundError("record linked to this account", "(not a traveller account)")
    with registry.work(actor, Permission.SELF_SERVICE) as uow:
        link = uow.session.get(TravellerAccountLink, actor.username)
        if link is None:
            uow.audit("self_service.days_viewed", "persons", None, via="account",
                      outcome="not_linked", client=client)
            uow.commit()
            raise NotFoundError("record linked to this account",
                                "(answer a one-time code once while signed in)")
        view = traveller_days(uow.session, registry.rules.law(uow.now.date()),
                              link.person_id)
        uow.audit("self_service.days_viewed", f"persons:{link.person_id}", link.person_id,
                  via="account", client=client, i94s=[i["number"] for i in view["i94s"]])
        uow.commit()
        return view


def _refuse(uow: UnitOfWork, row: OneTimeCode | None, outcome: str,
            answer: CodeAnswer) -> NoReturn:
    """Audit the refusal, keep the counted attempt, and refuse naming the code field."""
    uow.audit("self_service.code_refused",
              "traveller_codes" if row is None else row, None if row is None else row.person_id,
              outcome=outcome, client=answer.client)
    uow.commit()
    raise InvalidInputError([FieldProblem("code", CODE_REFUSED)])


def traveller_days(session: Session, law: Law, person_id: int) -> dict[str, Any]:
    """Every I-94 (newest first, each open one with its standing and each closed one with
    the departure that closed it), the travel history and the EES overlay, as of
    ``law.on``."""
    records = session.execute(
        select(I94Record).where(I94Record.person_id == person_id)
        .order_by(I94Record.admitted_on.desc(), I94Record.id.desc())).scalars().all()
    movements = session.execute(
        select(Encounter).where(Encounter.person_id == person_id,
                                Encounter.kind.in_(("arrival", "departure")))
        .order_by(Encounter.occurred_at, Encounter.id)).scalars().all()
    by_id = {e.id: e for e in movements}
    i94s = [_i94(record, by_id, law) for record in records]
    stays = stays_of(movements)
    window = rolling_window(law, stays)
    return {"as_of": law.on.isoformat(), "latest_i94": i94s[0] if i94s else None,
            "i94s": i94s,
            "open_admissions": [i for i in i94s if i["open"]],
            "travel_history": [{"kind": e.kind, "date": e.occurred_on.isoformat(),
                                "port": e.port_code, "record": e.id}
                               for e in reversed(one_entry_per_arrival(movements))],
            "stays": [{"entered_on": s.entered_on.isoformat(),
                       "left_on": None if s.left_on is None else s.left_on.isoformat()}
                      for s in stays],
            "ees_overlay": None if window is None else window.to_dict()}


def _i94(record: I94Record, movements: dict[int, Encounter], law: Law) -> dict[str, Any]:
    closed_by = None
    departure = (None if record.surrender_encounter_id is None
                 else movements.get(record.surrender_encounter_id))
    if departure is not None:
        closed_by = {"record": departure.id, "date": departure.occurred_on.isoformat(),
                     "port": departure.port_code}
    is_open = record.surrendered_on is None
    standing = None
    if is_open and (record.admit_until is not None or record.duration_of_status):
        standing = authorised_stay(law, admit_until=record.admit_until,
                                   duration_of_status=record.duration_of_status,
                                   admission_class=record.admission_class).to_dict()
    return {"number": record.number, "admission_class": record.admission_class,
            "port": record.port_code, "admitted_on": record.admitted_on.isoformat(),
            "arrival_record": record.encounter_id,
            "admit_until": record.admit_until.isoformat() if record.admit_until else None,
            "duration_of_status": record.duration_of_status,
            "surrendered_on": (record.surrendered_on.isoformat()
                               if record.surrendered_on else None),
            "open": is_open, "standing": standing, "closed_by": closed_by}


def stays_of(movements: Sequence[Encounter]) -> list[Stay]:
    """Arrivals and departures, oldest first, paired into stays: an arrival opens a stay,
    the next departure closes it; a departure with no stay open is not a stay."""
    stays: list[Stay] = []
    entered: date | None = None
    for movement in movements:
        if movement.kind == "arrival" and entered is None:
            entered = movement.occurred_on
        elif movement.kind == "departure" and entered is not None:
            stays.append(Stay(entered, movement.occurred_on))
            entered = None
    if entered is not None:
        stays.append(Stay(entered))
    return stays


# ---------------------------------------------------------------------- reminders
def send_reminders(registry: Registry, actor: Actor, as_of: date) -> dict[str, Any]:
    """Remind each traveller with an open I-94 and an e-mail on record as its admit-until
    date comes near, at the points of ``traveller.reminder_days_before`` (in force on
    ``as_of``).

    Idempotent: a reminder is kept per I-94 and point, so a second run sends nothing.
    A run that missed points (the job did not run for a week) sends one message, for the
    nearest point reached, and marks the earlier points ``superseded``. Each I-94 is its
    own unit of work, so one failed delivery leaves the others sent and itself to retry.
    """
    sender = _sender(registry)
    schedule = sorted(set(registry.rules.law(as_of).value("traveller.reminder_days_before",
                                                          []) or []))
    if not schedule:
        return {"as_of": as_of.isoformat(), "schedule": [], "sent": [], "superseded": 0}
    with registry.work(actor, Permission.READ_PERSON) as uow:
        due = uow.session.execute(
            select(I94Record.id).join(TravellerContact,
                                      TravellerContact.person_id == I94Record.person_id)
            .where(I94Record.surrendered_on.is_(None), I94Record.admit_until.is_not(None),
                   I94Record.admit_until >= as_of,
                   I94Record.admit_until <= as_of + timedelta(days=schedule[-1]))
            .order_by(I94Record.id)).scalars().all()
    sent: list[dict[str, Any]] = []
    superseded = 0
    for i94_id in due:
        result = _remind(registry, actor, sender, i94_id, as_of, schedule)
        if result is not None:
            superseded += result.pop("superseded")
            if result.get("days_before") is not None:
                sent.append(result)
    return {"as_of": as_of.isoformat(), "schedule": schedule, "sent": sent,
            "superseded": superseded}


def _remind(registry: Registry, actor: Actor, sender: Sender, i94_id: int, as_of: date,
            schedule: list[int]) -> dict[str, Any] | None:
    with registry.work(actor, Permission.READ_PERSON) as uow:
        session = uow.session
        record = session.get(I94Record, i94_id)
        contact = None if record is None else session.get(TravellerContact, record.person_id)
        if record is None or contact is None or record.admit_until is None:
            return None
        days_left = (record.admit_until - as_of).days
        reached = [point for point in schedule if days_left <= point]
        done = set(session.execute(select(ReminderSent.days_before).where(
            ReminderSent.i94_id == i94_id)).scalars())
        pending = [point for point in reached if point not in done]
        if not pending:
            return None
        target = min(reached)
        superseded = [point for point in pending if point != target]
        for point in superseded:
            session.add(_reminder(record, point, "superseded", uow.now))
        answer: dict[str, Any] = {"superseded": len(superseded)}
        if target in pending:
            row = _reminder(record, target, "sent", uow.now)
            session.add(row)
            session.flush()  # the unique key stops a concurrent run before anything is sent
            row.message_id = sender.send(Mail(
                contact.email, f"Your stay ends on {record.admit_until.isoformat()}",
                f"Your Form I-94 {record.number} admits you until "
                f"{record.admit_until.isoformat()}: {days_left} day"
                f"{'' if days_left == 1 else 's'} from {as_of.isoformat()}. Depart by the "
                "end of that day, or file for an extension of stay or a change of status "
                "before it (8 CFR 214.1(c)(4), 248.1(b)).\n"), uow.now)
            uow.audit("traveller.reminder_sent", row, record.person_id, i94=record.number,
                      days_before=target, admit_until=record.admit_until, as_of=as_of,
                      message_id=row.message_id)
            answer |= {"i94": record.number, "days_before": target,
                       "admit_until": record.admit_until.isoformat(),
                       "message_id": row.message_id}
        uow.commit()
        return answer


def _reminder(record: I94Record, point: int, outcome: str, now: datetime) -> ReminderSent:
    assert record.admit_until is not None  # noqa: S101 - filtered by the query
    return ReminderSent(i94_id=record.id, person_id=record.person_id, days_before=point,
                        admit_until=record.admit_until, outcome=outcome, recorded_at=now)



# ---------------------------------------------------------------------- the calculator
#: One stay the calculator is asked about (entered, and left or ``None`` while still in):
#: the rules' value type, named here so that the pages build the question from the service
#: alone (issue 15: the pages call services, not rules).
StayPeriod = Stay


@dataclass(frozen=True, slots=True)
class StayQuestion:
    """What the stay calculator is asked: an admission and/or stays, as of a day."""

    as_of: date
    admit_until: date | None = None
    duration_of_status: bool = False
    admission_class: str | None = None
    program_end: date | None = None
    stays: tuple[Stay, ...] = ()


def calculate_stay(rules: RulesEngine, question: StayQuestion) -> dict[str, Any]:
    """The stay calculator on the law of ``question.as_of``; reads no personal data."""
    has_admission = question.admit_until is not None or question.duration_of_status
    if not has_admission and not question.stays:
        raise InvalidInputError([FieldProblem(
            "admit_until", "give an admission (admit-until, or duration of status) or at "
            "least one stay")])
    law = rules.law(question.as_of)
    admission = None if not has_admission else authorised_stay(
        law, admit_until=question.admit_until,
        duration_of_status=question.duration_of_status,
        admission_class=question.admission_class, program_end=question.program_end)
    window = rolling_window(law, question.stays) if question.stays else None
    return {"as_of": question.as_of.isoformat(),
            "admission": None if admission is None else admission.to_dict(),
            "ees_overlay": None if window is None else window.to_dict()}
