"""``nseers db|person|compliance|audit``: the registry from the command line.

Every command that reads a person's record is attributed to the operator: ``--user`` (or
``$NSEERS_USER``, else the login name), acting in ``--role`` for ``--purpose``; the audit
trail records all three.
"""

from __future__ import annotations

import csv
import getpass
import json
import os
import sys
from datetime import date, timedelta
from typing import Annotated, Any, Final

import typer
from rich.console import Console
from rich.table import Table

from nseers.bootstrap import open_registry
from nseers.cli.render import safe_text
from nseers.core.actors import Actor, Role
from nseers.core.errors import NseersError
from nseers.core.text import is_unsafe_character
from nseers.db.engine import create_database_engine
from nseers.db.migrate import current_revision, head_revision, upgrade
from nseers.services.audit import checkpoint_audit, export_audit, verify_audit
from nseers.services.context import Registry
from nseers.services.people import search_persons, show_person
from nseers.services.reports import compliance_report, timeline
from nseers.services.retention import purge_idempotency_keys
from nseers.settings import Settings

db_app = typer.Typer(help="Create and migrate the registry's database.", no_args_is_help=True)
person_app = typer.Typer(help="Find and show persons in the registry (audited).",
                         no_args_is_help=True)
compliance_app = typer.Typer(help="Registrants' compliance with their obligations (audited).",
                             no_args_is_help=True)
audit_app = typer.Typer(help="Check and export the audit trail.", no_args_is_help=True)

UserOption = Annotated[str | None, typer.Option(
    "--user", help="Who is asking (default: $NSEERS_USER, else your login name).",
    show_default=False)]
RoleOption = Annotated[Role, typer.Option(
    "--role", help="The role you act in; it must allow the operation.")]
PurposeOption = Annotated[str, typer.Option(
    "--purpose", help="Why you are looking (recorded in the audit trail).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _actor(user: str | None, role: Role, purpose: str) -> Actor:
    return Actor(user or os.environ.get("NSEERS_USER") or getpass.getuser(), role, purpose)


def _registry() -> Registry:
    return open_registry(Settings.from_mapping())


def _fail(error: NseersError) -> typer.Exit:
    print(f"error: {error}", file=sys.stderr)
    return typer.Exit(1)


def _print_json(value: Any) -> None:
    # C0 controls are escaped by json itself; C1 and bidirectional controls are escaped
    # here, so a stored name cannot drive the terminal (still valid JSON).
    text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    print("".join(f"\\u{ord(c):04x}" if c != "\n" and is_unsafe_character(c) else c
                  for c in text))


@db_app.command("purge-idempotency")
def db_purge_idempotency(
        days: Annotated[int, typer.Option(min=1, help="Keep keys this many days.")] = 30,
        user: UserOption = None) -> None:
    """Delete idempotency keys older than --days (default 30; run it daily from cron)."""
    try:
        deleted = purge_idempotency_keys(_registry(), _actor(user, Role.ADMINISTRATOR,
                                                             "retention"),
                                         timedelta(days=days))
    except NseersError as error:
        raise _fail(error) from None
    print(f"deleted {deleted} idempotency keys older than {days} days")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create the database if needed and apply every migration (safe to repeat).

    The database is SQLite in $NSEERS_DATA_DIR (default ./data) unless
    $NSEERS_DATABASE_URL names another, e.g. postgresql+psycopg://user@host/nseers.
    """
    settings = Settings.from_mapping()
    engine = create_database_engine(settings.database_url)
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    where = engine.url.render_as_string(hide_password=True)
    print(f"{where}: schema {before or 'empty'} -> {after}" if before != after
          else f"{where}: schema already at {after} (newest {head_revision()})")


@person_app.command("show")
def person_show(person_id: Annotated[int, typer.Argument(help="The person's registry id.")],
                user: UserOption = None, role: RoleOption = Role.SECONDARY_OFFICER,
                purpose: PurposeOption = "", as_json: JsonOption = False,
                history: Annotated[bool, typer.Option(
                    "--timeline", help="Also list every encounter, registration, I-94, "
                                       "violation and permit.")] = False) -> None:
    """Show a person's identity, documents and registrations."""
    registry = _registry()
    actor = _actor(user, role, purpose)
    try:
        record = show_person(registry, actor, person_id)
        events = timeline(registry, actor, person_id)["events"] if history else None
    except NseersError as error:
        raise _fail(error) from None
    if as_json:
        _print_json(record | ({"timeline": events} if events is not None else {}))
        return
    console = Console()
    original = " ".join(x for x in (record["surname_original"],
                                    record["given_names_original"]) if x)
    console.print(f"[bold]{safe_text(record['surname'])}, "
                  f"{safe_text(record['given_names'])}[/bold]"
                  + (f"  ({safe_text(original)})" if original else "")
                  + f"  born {record['date_of_birth']}  sex {record['sex']}  "
                    f"citizenships {', '.join(record['citizenships'])}  id {record['id']}")
    for document in record["documents"]:
        console.print(f"  {document['kind']} {document['issuing_state']} {document['number']}")
    for registration in record["registrations"]:
        console.print(f"  FIN {registration['fin']}: {registration['route']} registration on "
                      f"{registration['registered_on']} at {registration['place']} "
                      f"({registration['basis']})")
    if events:
        table = Table("on", "what", "details")
        for event in events:
            details = ", ".join(f"{k}={v}" for k, v in event.items()
                                if k not in ("on", "type") and v not in (None, False))
            table.add_row(event["on"], event["type"], details)
        console.print(table)


@person_app.command("search")
def person_search(
        name: Annotated[str | None, typer.Option(help="A name in any script: surname, or "
                                                      "given names and surname.")] = None,
        born: Annotated[str | None, typer.Option("--born", help="Date of birth, YYYY-MM-DD.")]
        = None,
        document: Annotated[str | None, typer.Option(help="A document number.")] = None,
        fin: Annotated[str | None, typer.Option(help="A FIN.")] = None,
        user: UserOption = None, role: RoleOption = Role.SECONDARY_OFFICER,
        purpose: PurposeOption = "", as_json: JsonOption = False) -> None:
    """Find persons by name (any script), date of birth, document number or FIN."""
    try:
        born_on = date.fromisoformat(born) if born else None
    except ValueError:
        print(f"error: --born: not a date: {born!r}", file=sys.stderr)
        raise typer.Exit(2) from None
    try:
        found = search_persons(_registry(), _actor(user, role, purpose), name=name,
                               date_of_birth=born_on, document_number=document, fin=fin)
    except NseersError as error:
        raise _fail(error) from None
    if as_json:
        _print_json(found)
        return
    table = Table("id", "surname", "given names", "original script", "born", "sex",
                  "citizenships")
    for person in found:
        table.add_row(str(person["id"]), safe_text(person["surname"]),
                      safe_text(person["given_names"]),
                      safe_text(" ".join(x for x in (person["surname_original"],
                                                     person["given_names_original"]) if x)),
                      person["date_of_birth"] or "", person["sex"] or "",
                      ", ".join(person["citizenships"]))
    Console().print(table)
    print(f"{len(found)} found")


@compliance_app.command("report")
def compliance_report_command(
        person_id: Annotated[int, typer.Argument(help="The person's registry id.")],
        as_of: Annotated[str, typer.Option("--as-of", help="Judge as of this date, "
                                                           "YYYY-MM-DD.")],
        user: UserOption = None, role: RoleOption = Role.COMPLIANCE_OFFICER,
        purpose: PurposeOption = "", as_json: JsonOption = False) -> None:
    """Every obligation of every registration of a person as of a date: met, missed,
    suspended, waived, due or upcoming, with the evidence (FINs, encounters, interviews)."""
    try:
        on = date.fromisoformat(as_of)
    except ValueError:
        print(f"error: --as-of: not a date: {as_of!r}", file=sys.stderr)
        raise typer.Exit(2) from None
    try:
        report = compliance_report(_registry(), _actor(user, role, purpose), person_id, on)
    except NseersError as error:
        raise _fail(error) from None
    if as_json:
        _print_json(report)
        return
    console = Console()
    person = report["person"]
    console.print(f"[bold]Compliance report[/bold] for {safe_text(person['surname'])}, "
                  f"{safe_text(person['given_names'])} (id {person['id']}) "
                  f"as of {report['as_of']}, "
                  f"policy {report['policy_version']}")
    if not report["registrations"]:
        console.print("No special registration on record.")
    for registration in report["registrations"]:
        console.print(f"\nFIN {registration['fin']}: {registration['route']} registration on "
                      f"{registration['registered_on']} at {registration['place']} "
                      f"({registration['basis']}"
                      + (f", Group {registration['call_in_group']}, "
                         f"{registration['timeliness']}" if registration["call_in_group"]
                         else "") + ")")
        table = Table("obligation", "window", "status", "evidence")
        for obligation in registration["obligations"]:
            name = obligation["kind"] + (f" {obligation['sequence']}" if obligation["sequence"]
                                         else "")
            window = f"{obligation['window_start'] or ''} .. {obligation['window_end'] or ''}"
            evidence = "; ".join(", ".join(f"{k}={v}" for k, v in e.items() if v is not None)
                                 for e in obligation["evidence"])
            table.add_row(name, window, obligation["status"], evidence)
        console.print(table)
        for violation in registration["violations"]:
            console.print(f"  violation {violation['id']} on {violation['occurred_on']}: "
                          f"{violation['description']} (willfulness: "
                          f"{violation['willfulness']})")
    summary = report["summary"]
    obligations = ", ".join(f"{count} {status}" for status, count
                            in sorted(summary["obligations"].items())) or "none"
    console.print(f"\nSummary: {summary['registrations']} registration(s); obligations: "
                  f"{obligations}; {summary['violations']} violation(s), "
                  f"{summary['willful_violations']} of them willful")


@audit_app.command("checkpoint")
def audit_checkpoint(user: UserOption = None, role: RoleOption = Role.AUDITOR,
                     purpose: PurposeOption = "") -> None:
    """Write the audit chain's head, signed, to the checkpoint file outside the database
    ($NSEERS_AUDIT_CHECKPOINTS); `audit verify` checks the trail against every one."""
    try:
        checkpoint = checkpoint_audit(_registry(), _actor(user, role, purpose))
    except NseersError as error:
        raise _fail(error) from None
    print(f"checkpoint: entry {checkpoint.seq} ({checkpoint.hash[:16]}...) at "
          f"{checkpoint.at}")


@audit_app.command("export")
def audit_export(
        action: Annotated[str | None, typer.Option(
            "--action", help="Only actions starting with this (e.g. screening. or "
                             "watchlist.).")] = None,
        person: Annotated[int | None, typer.Option("--person", help="Only entries about "
                                                                    "this person id.")] = None,
        after: Annotated[int, typer.Option("--after", help="Only entries after this "
                                                            "sequence number.")] = 0,
        output_format: Annotated[str, typer.Option(
            "--format", help="jsonl (one entry a line) or csv.")] = "jsonl",
        user: UserOption = None, role: RoleOption = Role.AUDITOR,
        purpose: PurposeOption = "") -> None:
    """Write the audit trail (or the part the filters select) to standard output, in
    sequence order, as JSON Lines or CSV; the export is itself audited."""
    if output_format not in ("jsonl", "csv"):
        print("error: --format: jsonl or csv", file=sys.stderr)
        raise typer.Exit(2)
    try:
        entries = export_audit(_registry(), _actor(user, role, purpose), action_prefix=action,
                               person_id=person, after=after)
        if output_format == "jsonl":
            for entry in entries:
                sys.stdout.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
            return
        writer = csv.writer(sys.stdout)
        writer.writerow(AUDIT_COLUMNS)
        for entry in entries:
            writer.writerow([json.dumps(entry[c], ensure_ascii=False, default=str)
                             if c == "detail" else entry[c] for c in AUDIT_COLUMNS])
    except NseersError as error:
        raise _fail(error) from None


AUDIT_COLUMNS: Final = ("seq", "at", "actor", "role", "purpose", "action", "subject",
                        "person_id", "detail", "hash")


@audit_app.command("verify")
def audit_verify(user: UserOption = None, role: RoleOption = Role.AUDITOR,
                 purpose: PurposeOption = "") -> None:
    """Recompute the audit trail's hash chain; exit 1 if any entry was altered or deleted."""
    try:
        report = verify_audit(_registry(), _actor(user, role, purpose))
    except NseersError as error:
        raise _fail(error) from None
    if report.intact:
        print(f"audit trail intact: {report.entries} entries verified"
              + (f" against {report.checkpoints} signed checkpoints" if report.anchored
                 else ""))
        if not report.anchored:
            print("warning: no signed checkpoint outside the database: run 'nseers audit "
                  "checkpoint' (and keep the file where database administrators cannot "
                  "write) so that a rewritten or truncated trail is caught", file=sys.stderr)
        return
    print(f"audit trail BROKEN: {len(report.problems)} problems in {report.entries} entries")
    for problem in report.problems:
        print(f"  entry {problem.seq}: {problem.message}")
    raise typer.Exit(1)
