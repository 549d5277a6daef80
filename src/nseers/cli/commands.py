"""The ``nseers`` command's typer application: evaluate and explain cases, validate and
show the law; the other command groups load lazily (:mod:`nseers.cli.lazy`).

The entry point is :func:`nseers.cli.main.main`, which runs the plain ``nseers evaluate
SOURCE`` without importing this module (issue 18).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from nseers.cli import evaluate as evaluate_command
from nseers.cli.evaluate import POLICY_DIR_ENV, CommandExit
from nseers.cli.io import read_cases, read_text
from nseers.cli.lazy import LazyGroup
from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.rules.case import parse_case
from nseers.rules.engine import Engine
from nseers.rules.policy.store import Policy, builtin_sources, collect

app = typer.Typer(
    name="nseers",
    help="Port-of-entry inspection and NSEERS special registration: the law as dated, "
         "cited data, and decisions that explain themselves.",
    no_args_is_help=True,
    add_completion=False,
    cls=LazyGroup,  # issue 18: the other command groups are imported on first use
)
policy_app = typer.Typer(help="Validate, show and extend the policy data (the law as data).",
                         no_args_is_help=True)
app.add_typer(policy_app, name="policy")
# Every other command group (mrz, db, ..., biometrics, entry-exit): see nseers.cli.lazy.

PolicyDirOption = Annotated[
    list[Path] | None,
    typer.Option("--policy-dir", help=f"Extra policy directory (repeatable); also read from "
                                      f"${POLICY_DIR_ENV}.", show_default=False),
]


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _policy(policy_dirs: list[Path] | None) -> Policy:
    try:
        return evaluate_command.policy(policy_dirs)
    except CommandExit as done:
        raise typer.Exit(done.code) from None


def _fail_input(problems: tuple[FieldProblem, ...] | list[FieldProblem],
                heading: str = "malformed case; nothing was evaluated:") -> NoReturn:
    try:
        evaluate_command.fail_input(problems, heading)
    except CommandExit as done:
        raise typer.Exit(done.code) from None


def _parse_all(raws: list[Any], batch: bool) -> list[Any]:
    cases: list[Any] = []
    problems: list[FieldProblem] = []
    for index, raw in enumerate(raws):
        try:
            cases.append(parse_case(raw))
        except InvalidInputError as error:
            prefix = f"[{index}]" if batch else ""
            problems.extend(
                FieldProblem(f"{prefix}.{p.path}" if prefix and p.path else prefix or p.path,
                             p.message) for p in error.problems)
    if problems:
        _fail_input(problems)
    return cases


@app.command()
def evaluate(
    source: Annotated[str, typer.Argument(help="A case file (one JSON case, a JSON array, or "
                                               "JSON Lines), or - for standard input.")],
    policy_dir: PolicyDirOption = None,
    indent: Annotated[int | None, typer.Option(
        help="Indentation of the JSON printed; 0 for compact. Default: 2 for a single "
             "case, compact for an array or JSON Lines.", show_default=False)] = None,
    workers: Annotated[int, typer.Option(
        min=1, help="Processes that evaluate a batch; the output keeps the input's order."
    )] = 1,
) -> None:
    """Evaluate cases as the evaluation contract says and print the results as JSON.

    A batch is read, evaluated and printed one case at a time, so memory stays flat
    whatever its size. Exit status 0 when every case was evaluated (whatever the outcomes),
    2 when any case is malformed (each bad field is named by its path on standard error;
    nothing is printed).
    """
    try:
        evaluate_command.evaluate(source, policy_dir, indent=indent, workers=workers)
    except CommandExit as done:
        raise typer.Exit(done.code) from None


@app.command()
def explain(
    sources: Annotated[list[str], typer.Argument(help="Case files to explain, or - for "
                                                      "standard input.")],
    policy_dir: PolicyDirOption = None,
) -> None:
    """Show the decision for each case as a readable trace: outcomes, rules, law, values."""
    from rich.console import Console  # noqa: PLC0415 - only this command

    from nseers.cli.render import render_result  # noqa: PLC0415 - only this command

    engine = Engine(_policy(policy_dir))
    console = Console(width=max(100, Console().width))
    for source in sources:
        try:
            raws, batch = read_cases(read_text(source))
        except InvalidInputError as error:
            _fail_input(error.problems)
        cases = _parse_all(raws, batch)
        for index, case in enumerate(cases):
            title = source if not batch else f"{source} [{index}]"
            if case.case_id:
                title += f" — {case.case_id}"
            try:
                result = engine.evaluate(case)
            except InvalidInputError as error:
                _fail_input(error.problems)
            render_result(console, title, result)


@policy_app.command("validate")
def policy_validate(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Policy files or directories to check on their own; without any, the built-in "
             "data plus any --policy-dir is checked.", show_default=False)] = None,
    policy_dir: PolicyDirOption = None,
) -> None:
    """Check policy data: citations present, dates ordered and not overlapping, keys known."""
    if paths:
        sources: list[tuple[str, str]] = []
        for path in paths:
            files = sorted(path.glob("*.y*ml")) if path.is_dir() else [path]
            if not path.exists():
                _err(f"{path}: no such file or directory")
                raise typer.Exit(1)
            sources.extend((str(f), f.read_text(encoding="utf-8")) for f in files)
        documents, problems, _ = collect(sources)
        if problems:
            _err(f"invalid policy data ({len(problems)} problems):")
            for problem in problems:
                _err(f"  {problem}")
            raise typer.Exit(1)
        count = sum(len(d.records) for d in documents)
        print(f"ok: {len(documents)} files, {count} records")
        return
    policy = _policy(policy_dir)
    count = sum(len(d.records) for d in policy.documents)
    print(f"ok: {len(policy.documents)} files, {count} records, policy version "
          f"{policy.version}")


def _record_dict(record: Any) -> dict[str, Any]:
    from nseers.rules.policy.validation import dump  # noqa: PLC0415 - pydantic, only here

    return dump(record)


@policy_app.command("show")
def policy_show(
    as_of: Annotated[str, typer.Option("--as-of", help="The date (YYYY-MM-DD) whose law to "
                                                       "show.")],
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    policy_dir: PolicyDirOption = None,
) -> None:
    """Print the law in force on a date: every value and record, with its citation."""
    try:
        day = date.fromisoformat(as_of)
    except ValueError:
        _fail_input([FieldProblem("--as-of", f"not a date: {as_of!r} (expected YYYY-MM-DD)")],
                    "invalid option:")
    policy = _policy(policy_dir)
    law = policy.in_force(day)
    sections: dict[str, list[dict[str, Any]]] = {
        "parameters": [_record_dict(p) for p in law.parameters.values()],
        "provisions": [_record_dict(p) for p in law.provisions.values()],
        "port_of_entry_designations": [_record_dict(d) for d in law.poe_designations],
        "call_in_groups": [_record_dict(g) for g in law.call_in_groups],
        "departure_ports": [_record_dict(p) for p in law.departure_ports.values()],
        "border_zones": [_record_dict(z) for z in law.border_zones],
    }
    if output_format == "json":
        print(json.dumps({"as_of": day.isoformat(), "policy_version": policy.version,
                          **sections}, indent=2, ensure_ascii=False))
        return
    if output_format != "text":
        _fail_input([FieldProblem("--format", f"not one of text, json: {output_format!r}")],
                    "invalid option:")
    print(f"The law in force on {day.isoformat()} (policy version {policy.version})")
    for title, records in sections.items():
        print(f"\n== {title.replace('_', ' ')} ({len(records)})")
        for record in records:
            label = record.get("id", record.get("code"))
            body = {k: v for k, v in record.items()
                    if k not in ("id", "citation", "source", "confidence", "from", "to", "note",
                                 "title")}
            shown = body.get("value", body) if "value" in body else body
            print(f"- {label}: {json.dumps(shown, ensure_ascii=False)}")
            span = f"from {record['from']}" + (f" to {record['to']}" if record.get("to") else "")
            print(f"    {record['citation']} | {record['source']} | {span} | "
                  f"confidence {record['confidence']}")


@policy_app.command("import-departure-ports")
def import_departure_ports(
    source: Annotated[Path, typer.Argument(help="CSV with columns code,name (code as in the "
                                                "port reference data).")],
    notice: Annotated[str, typer.Option(help="The Federal Register notice that lists the "
                                             "ports, e.g. '67 FR 61352'.")],
    effective: Annotated[str, typer.Option(help="The notice's effective date, YYYY-MM-DD.")],
    output: Annotated[Path, typer.Option(help="The YAML file to write, in a policy directory "
                                              f"(see ${POLICY_DIR_ENV}).")],
    confidence: Annotated[str, typer.Option(help="H, M, L or B.")] = "H",
    citation: Annotated[str, typer.Option(help="The regulation.")] = "8 CFR 264.1(f)",
    complete: Annotated[bool, typer.Option(
        "--complete", help="The CSV is the notice's whole list: a port not on it is not "
                           "designated (otherwise such a port is undetermined).")] = False,
    until: Annotated[str | None, typer.Option(
        help="With --complete: the first day the list no longer applies (the next full "
             "list's effective date), YYYY-MM-DD.")] = None,
) -> None:
    """Turn a notice's list of designated departure ports into validated policy data."""
    try:
        effective_date = date.fromisoformat(effective)
    except ValueError:
        _fail_input([FieldProblem("--effective", f"not a date: {effective!r}")],
                    "invalid option; nothing was written:")
    until_date: date | None = None
    if until is not None:
        try:
            until_date = date.fromisoformat(until)
        except ValueError:
            _fail_input([FieldProblem("--until", f"not a date: {until!r}")],
                        "invalid option; nothing was written:")
        if not complete:
            _fail_input([FieldProblem("--until", "only with --complete")],
                        "invalid option; nothing was written:")
    import csv  # noqa: PLC0415 - only this command

    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    problems = [FieldProblem(f"{source}: row {n}", "needs a code and a name")
                for n, row in enumerate(rows, start=2)
                if not (row.get("code") or "").strip() or not (row.get("name") or "").strip()]
    if problems or not rows:
        _fail_input(problems or [FieldProblem(str(source), "no rows")],
                    "invalid port list; nothing was written:")
    document = {
        "kind": "departure_port",
        "title": f"Designated ports of departure, {notice}",
        "description": f"Imported from {source.name}.",
        "records": [
            {"id": row["code"].strip().upper(), "name": row["name"].strip(),
             "from": effective_date,
             **({"to": until_date} if until_date is not None else {}),
             "citation": citation, "source": notice, "confidence": confidence}
            for row in rows
        ],
    }
    if complete:
        # Issue 15: the notice's whole list; on its dates a port not on it is not designated.
        coverage: dict[str, Any] = {"id": f"{notice} (imported)", "from": effective_date}
        if until_date is not None:
            coverage["to"] = until_date
        coverage.update({"complete": True, "citation": citation, "source": notice,
                         "confidence": confidence})
        document["coverage"] = [coverage]
    import yaml  # noqa: PLC0415 - only this command

    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    policy = _policy(None)
    known = set(policy.ports)
    unknown = [str(row["code"]).strip().upper() for row in rows
               if str(row["code"]).strip().upper() not in known]
    _, problems, _ = collect([*builtin_sources(), (str(output), text)])
    if problems:
        _err("the imported list conflicts with the policy data; nothing was written:")
        for problem in problems:
            _err(f"  {problem}")
        raise typer.Exit(1)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"wrote {len(rows)} ports designated from {effective_date} ({notice}) to {output}")
    if unknown:
        print(f"note: {len(unknown)} codes are not in the port reference data: "
              f"{', '.join(unknown[:20])}")
