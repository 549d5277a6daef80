"""The readable trace of a decision, for ``nseers explain`` (terminal output)."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from nseers.core.text import escape_unsafe
from nseers.rules.result import DETERMINATIONS, Result

OUTCOME_STYLES = {
    "required": "bold yellow", "not_required": "green", "not_applicable": "dim",
    "compliant": "bold green", "non_compliant": "bold red", "inspect_as_alien": "bold cyan",
    "inspect_as_citizen": "bold green",
}


def safe_text(value: object) -> str:
    """``value`` as text that cannot drive the terminal: control and bidirectional
    characters escaped (:func:`nseers.core.text.escape_unsafe`), and rich's markup
    brackets escaped, for ``console.print``."""
    return escape(escape_unsafe(str(value)))


def _values(values: dict[str, Any] | None) -> str:
    if not values:
        return ""
    return ", ".join(f"{k}={v}" for k, v in values.items())


def render_result(console: Console, title: str, result: Result) -> None:
    """Print one result as panels: the port, then each determination and its reasons."""
    data = result.to_dict()
    port = data["port"]
    header = Text.assemble(
        (f"{data['event']} on {data['date']}", "bold"),
        f" at {port['code'] or '(no code)'} ({port['mode']}, {port['state'] or '?'})",
        ("" if port["known"] else "  [port not in the reference data]", "yellow"),
        f"   policy {data['policy_version']}",
    )
    parts: list[Any] = [header]
    for name in DETERMINATIONS:
        determination = data["determinations"][name]
        outcome = determination["outcome"]
        extras = {k: v for k, v in determination.items() if k not in ("outcome", "reasons")}
        line = Text.assemble(
            (f"\n{name}: ", "bold"), (outcome, OUTCOME_STYLES.get(outcome, "bold magenta")),
            f"  {_values(extras)}" if extras else "")
        parts.append(line)
        table = Table(show_header=True, header_style="dim", box=None, padding=(0, 1),
                      expand=True)
        table.add_column("rule", style="cyan", no_wrap=True)
        table.add_column("why", ratio=3)
        table.add_column("law", ratio=1)
        for reason in determination["reasons"]:
            why = reason["text"]
            if reason.get("values"):
                why += f"\n[dim]values: {_values(reason['values'])}[/dim]"
            law = f"{reason['citation']}\n[dim]{reason['source']}"
            if reason.get("effective"):
                law += f"; from {reason['effective']}"
            if reason.get("confidence"):
                law += f"; confidence {reason['confidence']}"
            table.add_row(reason["rule"], why, law + "[/dim]")
        parts.append(table)
    console.print(Panel(Group(*parts), title=title, title_align="left"))
