"""Loading, validating and querying policy data as of a date.

``load_policy`` reads every YAML file of the built-in data (and any directories an
administrator adds), checks them against the schema, the parameter registry and the date
rules, and returns a :class:`Policy`. ``Policy.in_force(day)`` gives the law in force on
that day. The law only changes on the dates records take effect or end, so what is in
force is built once per *epoch* (a span of days between two such dates) and shared by every
day in it: a registry ingesting 24 years of movements meets some 9,000 distinct days but
only a few hundred epochs.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

from nseers.core.errors import FieldProblem, PolicyError
from nseers.rules.ids import ALL_RULE_IDS
from nseers.rules.policy import compiled
from nseers.rules.policy.parameters import PARAMETERS
from nseers.rules.policy.schema import (
    RECORD_MODELS,
    BorderZone,
    CallInGroup,
    Dated,
    DeparturePort,
    DeparturePortList,
    Parameter,
    PoeDesignation,
    PolicyFile,
    Port,
    Provision,
    Strict,
)
from nseers.rules.policy.yaml_cache import is_yaml_error, load_yaml
from nseers.rules.result import DETERMINATIONS

D = TypeVar("D", bound=Dated)
T = TypeVar("T")

BUILTIN_DATA = "data"
#: The built-in data sits beside this module (``importlib.resources`` would find the same
#: files, at the cost of importing it and ``tempfile`` at every start: issue 18).
_BUILTIN_ROOT = Path(__file__).resolve().parent / BUILTIN_DATA


def _format_loc(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc if part != "__root__")


def _friendly(error: Any) -> str:
    kind = error["type"]
    if kind == "missing":
        return "missing (every record needs it)" if error["loc"][-1] in (
            "citation", "source", "confidence", "from") else "missing"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return "unknown key"
    if kind == "dataclass_type":  # the words pydantic gave when the records were models
        return f"Input should be a valid dictionary or instance of {error['ctx']['class_name']}"
    return str(error["msg"])


@dataclass(frozen=True)
class PolicyDocument:
    """One validated file: where it came from and its records."""

    path: str
    kind: str
    title: str
    records: tuple[Strict, ...]


@dataclass
class _Collected:
    documents: list[PolicyDocument] = field(default_factory=list)
    problems: list[FieldProblem] = field(default_factory=list)
    digest: Any = field(default_factory=hashlib.sha256)


def _add_to_digest(digest: Any, path: str, text: str) -> None:
    digest.update(Path(path).name.encode())
    digest.update(text.encode())


def source_digest(sources: list[tuple[str, str]]) -> str:
    """The policy's version: a digest of its files' names and texts, as :func:`collect`
    gives it."""
    digest = hashlib.sha256()
    for path, text in sources:
        _add_to_digest(digest, path, text)
    return digest.hexdigest()[:12]


def _read_document(path: str, text: str, out: _Collected) -> None:
    _add_to_digest(out.digest, path, text)
    try:
        raw = load_yaml(text)
    except Exception as exc:
        if not is_yaml_error(exc):
            raise
        out.problems.append(FieldProblem(path, f"not valid YAML: {exc}"))
        return
    # pydantic only here, where a file is checked: not at a start that finds it kept.
    from nseers.rules.policy.validation import (  # noqa: PLC0415
        ValidationError,
        adapter,
    )

    try:
        header = adapter(PolicyFile).validate_python(raw)
    except ValidationError as exc:
        out.problems.extend(
            FieldProblem(f"{path}: {_format_loc(e['loc'])}", _friendly(e)) for e in exc.errors()
        )
        return
    out.documents.append(PolicyDocument(path, header.kind, header.title, tuple(
        _read_records(path, header.kind, header.records, out))))
    if header.coverage:
        # A departure-port file says, beside its ports, how complete its list is.
        out.documents.append(PolicyDocument(
            path, "departure_port_list", header.title,
            tuple(_read_records(f"{path}: coverage", "departure_port_list", header.coverage,
                                out))))


def _read_records(path: str, kind: str, raw_records: list[dict[str, Any]],
                  out: _Collected) -> list[Strict]:
    from nseers.rules.policy.validation import (  # noqa: PLC0415 - see _read_document
        ValidationError,
        adapter,
    )

    model = adapter(RECORD_MODELS[kind])
    records: list[Strict] = []
    for index, raw_record in enumerate(raw_records):
        label = raw_record.get("id", raw_record.get("code", "?")) if isinstance(
            raw_record, dict) else "?"
        where = f"{path}: records[{index}] ({label})"
        try:
            record = model.validate_python(raw_record)
        except ValidationError as exc:
            out.problems.extend(
                FieldProblem(f"{where}.{_format_loc(e['loc'])}".rstrip("."), _friendly(e))
                for e in exc.errors()
            )
            continue
        if isinstance(record, Parameter):
            spec = PARAMETERS.get(record.id)
            if spec is None:
                out.problems.append(FieldProblem(f"{where}.id", "unknown parameter"))
                continue
            try:
                value = spec.adapter.validate_python(record.value)
            except ValidationError as exc:
                out.problems.extend(
                    FieldProblem(f"{where}.value.{_format_loc(e['loc'])}".rstrip("."),
                                 _friendly(e))
                    for e in exc.errors()
                )
                continue
            record = replace(record, value=value)
        if isinstance(record, Provision) and record.id not in ALL_RULE_IDS:
            out.problems.append(FieldProblem(f"{where}.id", "unknown rule id"))
            continue
        records.append(record)
    return records


def _check_dates(documents: list[PolicyDocument], problems: list[FieldProblem]) -> None:
    """Versions of one id must be in date order within a file and must never overlap.

    Across files (the built-in data and an administrator's directory) versions are put in
    date order first: a notice loaded later may well date from before the built-in one.
    """
    versions: dict[tuple[str, str], list[tuple[str, Dated]]] = defaultdict(list)
    for document in documents:
        previous: dict[str, Dated] = {}
        for record in document.records:
            if not isinstance(record, Dated):
                continue
            record_id = str(getattr(record, "id", ""))
            earlier = previous.get(record_id)
            if earlier is not None and record.effective_from < earlier.effective_from:
                problems.append(FieldProblem(
                    f"{document.path}: {document.kind} {record_id}",
                    f"versions out of date order: {record.effective_from} is listed after "
                    f"{earlier.effective_from}"))
            previous[record_id] = record
            versions[(document.kind, record_id)].append((document.path, record))
    for (kind, record_id), history in versions.items():
        ordered = sorted(history, key=lambda item: item[1].effective_from)
        for (_, earlier), (path, later) in pairwise(ordered):
            if later.effective_from == earlier.effective_from or (
                    earlier.effective_to is not None
                    and earlier.effective_to > later.effective_from):
                problems.append(FieldProblem(
                    f"{path}: {kind} {record_id}",
                    f"overlapping versions: the version from {earlier.effective_from} runs "
                    f"past {later.effective_from}, when the next one starts"))


def _check_ports(documents: list[PolicyDocument], problems: list[FieldProblem]) -> None:
    seen: dict[str, str] = {}
    for document in documents:
        for record in document.records:
            if isinstance(record, Port):
                if record.code in seen:
                    problems.append(FieldProblem(
                        f"{document.path}: port {record.code}",
                        f"duplicate port code (also in {seen[record.code]})"))
                seen[record.code] = document.path


def builtin_sources() -> list[tuple[str, str]]:
    """``(path, text)`` of every built-in policy file, in a stable order."""
    return sorted(
        (f"{BUILTIN_DATA}/{entry.name}", entry.read_text(encoding="utf-8"))
        for entry in _BUILTIN_ROOT.iterdir()
        if entry.name.endswith((".yaml", ".yml"))
    )


def _directory_sources(directory: Path) -> list[tuple[str, str]]:
    return [
        (str(path), path.read_text(encoding="utf-8"))
        for path in sorted(directory.glob("*.y*ml"))
    ]


def collect(sources: list[tuple[str, str]]) -> tuple[list[PolicyDocument], list[FieldProblem],
                                                     str]:
    """Parse and check ``(path, text)`` pairs; return documents, problems and a digest."""
    out = _Collected()
    for path, text in sources:
        _read_document(path, text, out)
    _check_dates(out.documents, out.problems)
    _check_ports(out.documents, out.problems)
    return out.documents, out.problems, out.digest.hexdigest()[:12]


def load_policy(extra_directories: tuple[Path, ...] = (), *, builtin: bool = True) -> Policy:
    """Load and validate the built-in policy data plus any administrator directories.

    Raises :class:`PolicyError` listing every problem when any file is invalid: the engine
    never runs on law it could not fully check.
    """
    sources = builtin_sources() if builtin else []
    seen: set[Path] = set()
    for directory in extra_directories:
        resolved = directory.resolve()
        if resolved not in seen:
            seen.add(resolved)
            sources.extend(_directory_sources(directory))
    entry = compiled.key(sources)
    kept = compiled.load(entry)
    if kept is not None:
        return Policy(kept, source_digest(sources))
    documents, problems, digest = collect(sources)
    if problems:
        raise PolicyError(problems)
    compiled.keep(entry, documents)
    return Policy(documents, digest)


def _close_open_versions(history: list[Dated]) -> list[Dated]:
    """Make each version's implicit end explicit: it ends where the next version starts."""
    closed = []
    for version, successor in zip(history, [*history[1:], None], strict=True):
        if successor is not None and version.effective_to is None:
            closed.append(replace(version, effective_to=successor.effective_from))
        else:
            closed.append(version)
    return closed


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    """The built-in policy, loaded once per process."""
    return load_policy()


class Policy:
    """All policy data, indexed for lookups as of a date."""

    def __init__(self, documents: list[PolicyDocument], version: str) -> None:
        self.documents = tuple(documents)
        self.version = version
        self._parameters: dict[str, list[Parameter]] = defaultdict(list)
        self._dated: dict[type[Dated], list[Dated]] = defaultdict(list)
        self.ports: dict[str, Port] = {}
        histories: dict[tuple[type[Dated], str], list[Dated]] = defaultdict(list)
        for document in documents:
            for record in document.records:
                if isinstance(record, Dated):
                    histories[(type(record), str(getattr(record, "id", "")))].append(record)
                elif isinstance(record, Port):
                    self.ports[record.code] = record
        for (kind, _), history in histories.items():
            history.sort(key=lambda record: record.effective_from)
            for closed in _close_open_versions(history):
                if isinstance(closed, Parameter):
                    self._parameters[closed.id].append(closed)
                else:
                    self._dated[kind].append(closed)
        self._starts = {
            key: [v.effective_from for v in history] for key, history in self._parameters.items()
        }
        self._changes = sorted(
            {record.effective_from for history in histories.values() for record in history}
            | {record.effective_to for record in self._all_dated()
               if record.effective_to is not None})
        provisions = [r for r in self._dated.get(Provision, []) if isinstance(r, Provision)]
        #: The first day of the law this policy holds for the evaluation contract: the
        #: earliest date from which a provision of one of its five determinations is in
        #: force. The engine refuses an earlier date instead of applying a later law to it.
        #: Provisions outside the determinations (a stay's grace period, a correction's
        #: deadline) have dates of their own and do not widen what ``evaluate`` covers.
        self.coverage_from: date | None = min(
            (record.effective_from for record in provisions
             if record.id.split(".", 1)[0] in DETERMINATIONS), default=None)
        self._epochs: dict[tuple[str, int], Any] = {}
        self._records: dict[type[Dated], tuple[Dated, ...]] = {}
        self._in_force_cached = lru_cache(maxsize=8192)(self._in_force_on)

    def _all_dated(self) -> list[Dated]:
        return [*(v for history in self._parameters.values() for v in history),
                *(r for records in self._dated.values() for r in records)]

    def parameter(self, parameter_id: str, on: date) -> Parameter | None:
        """The version of a parameter in force on ``on``, or ``None`` if none is."""
        history = self._parameters.get(parameter_id)
        if not history:
            return None
        index = bisect_right(self._starts[parameter_id], on) - 1
        if index < 0:
            return None
        version = history[index]
        return version if version.in_force_on(on) else None

    def history(self, parameter_id: str) -> tuple[Parameter, ...]:
        """Every version of a parameter, oldest first."""
        return tuple(self._parameters.get(parameter_id, ()))

    def records(self, kind: type[D]) -> tuple[D, ...]:
        """Every record of a dated kind, in file order.

        Kept once made: the law of each epoch reads every kind again (issue 18).
        """
        try:
            return self._records[kind]  # type: ignore[return-value]
        except KeyError:
            records = self._records[kind] = tuple(
                r for r in self._dated.get(kind, ()) if isinstance(r, kind))
            return records  # type: ignore[return-value]

    def in_force(self, on: date) -> InForce:
        """The law in force on ``on``."""
        return self._in_force_cached(on)

    def epoch(self, on: date) -> int:
        """The index of the span of days, between two dates of change, that holds ``on``:
        every day of one epoch has the same law in force."""
        return bisect_right(self._changes, on)

    def per_epoch(self, on: date, name: str, build: Callable[[], T]) -> T:
        """``build()``, a value derived only from the law in force on ``on``, computed once
        per epoch and shared by its days (``name`` tells such values apart)."""
        key = (name, self.epoch(on))
        try:
            return self._epochs[key]  # type: ignore[no-any-return]
        except KeyError:
            value = self._epochs[key] = build()
            return value

    def _in_force_on(self, on: date) -> InForce:
        shared = self.per_epoch(on, "in_force", lambda: self._build_in_force(on))
        if shared.on == on:
            return shared
        # ``replace(shared, on=on)``, without running the dataclass's ``__init__`` again
        # field by field: that was half the cost of the law of a new date, which a stream
        # of cases on many dates pays once a date (issue 18). InForce has no __post_init__.
        day = object.__new__(InForce)
        day.__dict__.update(shared.__dict__, on=on)
        return day

    def _build_in_force(self, on: date) -> InForce:
        parameters = {}
        for parameter_id in self._parameters:
            version = self.parameter(parameter_id, on)
            if version is not None:
                parameters[parameter_id] = version
        return InForce(
            on=on,
            version=self.version,
            parameters=parameters,
            poe_designations=tuple(
                r for r in self.records(PoeDesignation) if r.in_force_on(on)),
            provisions={r.id: r for r in self.records(Provision) if r.in_force_on(on)},
            call_in_groups=tuple(r for r in self.records(CallInGroup) if r.in_force_on(on)),
            departure_ports={
                r.id: r for r in self.records(DeparturePort) if r.in_force_on(on)},
            departure_port_lists=tuple(
                r for r in self.records(DeparturePortList) if r.in_force_on(on)),
            border_zones=tuple(r for r in self.records(BorderZone) if r.in_force_on(on)),
            ports=self.ports,
            known=frozenset(self._parameters),
        )


@dataclass(frozen=True)
class InForce:
    """The law on one date: each parameter's version in force, and the in-force records."""

    on: date
    version: str
    parameters: dict[str, Parameter]
    poe_designations: tuple[PoeDesignation, ...]
    provisions: dict[str, Provision]
    call_in_groups: tuple[CallInGroup, ...]
    departure_ports: dict[str, DeparturePort]
    departure_port_lists: tuple[DeparturePortList, ...]
    border_zones: tuple[BorderZone, ...]
    ports: dict[str, Port]
    #: Every parameter id the policy holds on any date: an id outside it is a typo in the
    #: code, refused loudly rather than answered with a silent default (issue 15).
    known: frozenset[str] = frozenset()

    def _check_known(self, parameter_id: str) -> None:
        if self.known and parameter_id not in self.known:
            raise PolicyError([FieldProblem(parameter_id, "no such parameter in the policy "
                                                          "on any date (a misspelt id?)")])

    def get(self, parameter_id: str) -> Parameter | None:
        """The parameter's version in force, or ``None`` when it is not in force (a
        :class:`PolicyError` when the policy has no such parameter on any date)."""
        self._check_known(parameter_id)
        return self.parameters.get(parameter_id)

    def value(self, parameter_id: str, default: Any = None) -> Any:
        """The parameter's value in force, or ``default`` when it is not in force on this
        date (a :class:`PolicyError` when the policy has no such parameter on any date)."""
        self._check_known(parameter_id)
        version = self.parameters.get(parameter_id)
        return default if version is None else version.value
