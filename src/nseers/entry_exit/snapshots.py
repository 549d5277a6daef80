"""Report snapshots: what a run produced and everything needed to produce it again.

A snapshot is a directory: ``report.json``, ``links.csv`` and ``manifest.json``. The
manifest records the input files with their SHA-256, the policy version and the
definitions it gave, the code version, the linkage settings and the trained Splink model,
so that re-running it (``reproduce``) scores with the same m and u values and writes the
same report byte for byte. ``diff`` explains what changed between two snapshots: the
inputs that changed, the counts by country, and the links that appeared or went away
(late departure evidence, a new or lost link, a changed method).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from nseers.entry_exit.definitions import REPORT_COLUMNS, Definitions, LinkageSettings
from nseers.entry_exit.links import Links
from nseers.entry_exit.report import links_csv

MANIFEST = "manifest.json"


def sha256(path: Path) -> str:
    """The file's SHA-256, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _code_version() -> str:
    try:
        return version("nseers")
    except PackageNotFoundError:
        return "unknown"


def _dump(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True) + "\n"


def write_snapshot(directory: Path, *, inputs: dict[str, Path | None], defs: Definitions,
                   linkage: LinkageSettings, engine: str, report: dict[str, Any],
                   links: Iterable[tuple[str, str, str, float]],
                   model: dict[str, Any] | None) -> Path:
    """Write the snapshot; return the manifest's path.

    A run's :class:`~nseers.entry_exit.links.Links` are written from their file (the
    same bytes as :func:`~nseers.entry_exit.report.links_csv`, without a tuple each)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "report.json").write_text(json.dumps(report, indent=2) + "\n",
                                           encoding="utf-8")
    if isinstance(links, Links):
        links.write_csv(directory / "links.csv")
    else:
        (directory / "links.csv").write_text(links_csv(links), encoding="utf-8")
    manifest = {
        "inputs": {kind: None if path is None else {"path": str(path.resolve()),
                                                    "sha256": sha256(path)}
                   for kind, path in inputs.items()},
        "fiscal_year": defs.fiscal_year, "as_of": defs.as_of.isoformat(),
        "policy_version": defs.policy_version, "definitions": defs.to_dict(),
        "code_version": _code_version(), "engine": engine,
        "linkage": asdict(linkage), "model": model,
    }
    path = directory / MANIFEST
    path.write_text(_dump(manifest), encoding="utf-8")
    return path


def read_manifest(path: Path) -> dict[str, Any]:
    """A manifest, given its file or its snapshot directory."""
    if path.is_dir():
        path = path / MANIFEST
    return dict(json.loads(path.read_text(encoding="utf-8")))


def changed_inputs(manifest: dict[str, Any]) -> list[str]:
    """Inputs whose file is gone or no longer has the recorded SHA-256."""
    problems = []
    for kind, entry in manifest["inputs"].items():
        if entry is None:
            continue
        path = Path(entry["path"])
        if not path.is_file():
            problems.append(f"{kind}: {path} is gone")
        elif sha256(path) != entry["sha256"]:
            problems.append(f"{kind}: {path} changed since the snapshot")
    return problems


def _links(directory: Path) -> dict[tuple[str, str], str]:
    with (directory / "links.csv").open(encoding="utf-8", newline="") as handle:
        return {(r["arrival_record_id"], r["departure_record_id"]): r["method"]
                for r in csv.DictReader(handle)}


def diff(a: Path, b: Path) -> dict[str, Any]:
    """What changed from snapshot ``a`` to snapshot ``b``, and why."""
    ma, mb = read_manifest(a), read_manifest(b)
    ra = json.loads((a / "report.json").read_text(encoding="utf-8"))
    rb = json.loads((b / "report.json").read_text(encoding="utf-8"))
    inputs = [kind for kind in sorted(set(ma["inputs"]) | set(mb["inputs"]))
              if (ma["inputs"].get(kind) or {}).get("sha256")
              != (mb["inputs"].get(kind) or {}).get("sha256")]
    settings = [key for key in ("fiscal_year", "as_of", "policy_version", "code_version",
                                "engine", "linkage") if ma.get(key) != mb.get(key)]
    rows_a = {r["country_of_citizenship"]: r for r in ra["by_country"]}
    rows_b = {r["country_of_citizenship"]: r for r in rb["by_country"]}
    countries = []
    for country in sorted(set(rows_a) | set(rows_b)):
        before, after = rows_a.get(country, {}), rows_b.get(country, {})
        changes = {c: [before.get(c, 0), after.get(c, 0)] for c in REPORT_COLUMNS
                   if before.get(c, 0) != after.get(c, 0)}
        if changes:
            countries.append({"country_of_citizenship": country, "changes": changes})
    la, lb = _links(a), _links(b)
    departures_a = {d for _, d in la}
    links = []
    for pair in sorted(set(la) | set(lb)):
        arrival, departure = pair
        if pair not in la:
            reason = "new link" if departure in departures_a else "late departure evidence"
            links.append({"arrival_record_id": arrival, "departure_record_id": departure,
                          "change": "added", "why": reason, "method": lb[pair]})
        elif pair not in lb:
            links.append({"arrival_record_id": arrival, "departure_record_id": departure,
                          "change": "removed", "why": "link no longer made",
                          "method": la[pair]})
        elif la[pair] != lb[pair]:
            links.append({"arrival_record_id": arrival, "departure_record_id": departure,
                          "change": "method", "why": f"{la[pair]} -> {lb[pair]}",
                          "method": lb[pair]})
    why = [f"the {kind.replace('_', ' ')} input changed" for kind in inputs]
    why += [f"{key} changed: {ma.get(key)!r} -> {mb.get(key)!r}" for key in settings
            if key != "linkage"]
    if "linkage" in settings:
        why.append("the linkage settings changed")
    return {"a": str(a), "b": str(b), "why": why, "inputs_changed": inputs,
            "grand_total": {c: [ra["grand_total"][c], rb["grand_total"][c]]
                            for c in REPORT_COLUMNS},
            "countries": countries, "links": links}
