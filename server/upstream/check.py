"""``lapor-server upstream check``: does the profile match the live upstream, field by field?

Only read routes are called. For each route it prints the call and its
status, then each field the profile names: found, missing (with the keys
that are there, so the right name can be read off), or absent but optional.
A guessed entry that held is said so: it can lose its ``guess`` mark.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

from server.upstream.connector import UpstreamError
from server.upstream.lapor_v3 import LaporV3
from server.upstream.paths import Missing, lookup
from server.upstream.profile import FieldSpec, PagedRoute

FOLLOWUP_PROBES = 10  # complaints tried to find one with follow-ups to check


@dataclass
class CheckReport:
    matched: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


class _Printer:
    def __init__(self, out: TextIO, guessed: frozenset[str], report: CheckReport) -> None:
        self.out, self.guessed, self.report = out, guessed, report

    def route(self, name: str, call: str, outcome: str) -> None:
        print(f"\n{name}  {call}  {outcome}{self._mark(name)}", file=self.out)

    def good(self, name: str, detail: str) -> None:
        self.report.matched.append(name)
        print(f"  ok    {name} ({detail}){self._mark(name, held=True)}", file=self.out)

    def bad(self, name: str, detail: str) -> None:
        self.report.failed.append(name)
        print(f"  FAIL  {name}: {detail}{self._mark(name)}", file=self.out)

    def note(self, name: str, detail: str) -> None:
        print(f"  --    {name}: {detail}", file=self.out)

    def _mark(self, name: str, held: bool = False) -> str:
        if name not in self.guessed:
            return ""
        return "  [guess held]" if held else "  [guess]"


def check(connector: LaporV3, out: TextIO, complaint_id: int | None = None) -> CheckReport:
    """Probe every read route and print what matched; read-only calls only."""
    report = CheckReport()
    p = _Printer(out, connector.profile.guessed, report)
    doc = connector.doc
    print(f"{doc.upstream.name} at {connector.base}", file=out)
    print(f"profile: {connector.profile.source}", file=out)
    listed = _check_list(connector, p)
    targets = [complaint_id] if complaint_id is not None else listed
    if not targets:
        p.bad("routes.detail", "no complaint id to read: give --complaint-id N")
    else:
        _check_detail(connector, p, targets[0])
        # The first complaint of these that has follow-ups, so their fields are checked too.
        with_followups = next((t for t in targets if _has_followups(connector, t)), targets[0])
        followups = doc.routes.followups
        _check_paged(connector, p, "followup", followups, doc.fields.followup, id=with_followups)
    _check_paged(connector, p, "template", doc.routes.templates, doc.fields.template)
    _check_paged(connector, p, "institution", doc.routes.institutions, doc.fields.institution)
    total = len(report.matched) + len(report.failed)
    print(f"\n{len(report.matched)} of {total} matched.", file=out)
    if report.failed:
        print(f"Did not match: {', '.join(report.failed)}", file=out)
    return report


def _call(p: _Printer, name: str, connector: LaporV3, path: str, params: Mapping[str, str]) -> Any:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    call = f"GET {path}" + (f"?{query}" if query else "")
    try:
        answer = connector.get_json(path, params)
    except UpstreamError as exc:
        p.route(name, call, "failed")
        p.bad(name, exc.message)
        return None
    p.route(name, call, "200")
    return answer


def _has_followups(connector: LaporV3, complaint_id: int) -> bool:
    route = connector.doc.routes.followups
    params = {k: v.format(page=1) for k, v in route.params.items()}
    try:
        answer = connector.get_json(route.path.format(id=complaint_id), params)
    except UpstreamError:
        return False
    items = lookup(answer, route.items)
    return isinstance(items, list) and bool(items)


def _check_list(connector: LaporV3, p: _Printer) -> list[int]:
    """Checks the listing; returns the first few complaint ids it gave."""
    route = connector.doc.routes.list
    if not route.enabled:
        p.note("routes.list", "disabled in the profile: the hub reads known complaint ids")
        return []
    params = {
        k: v.format(page=1, page_size=connector.doc.poll.page_size) for k, v in route.params.items()
    }
    answer = _call(p, "routes.list", connector, route.path, params)
    if answer is None:
        return []
    items = _items(p, "routes.list.items", answer, route.items)
    _found(p, "routes.list.next", answer, route.next, optional=True)
    if not items:
        return []
    first = items[0]
    _found(p, "routes.list.id", first, route.id)
    if route.change_marker:
        _found(p, "routes.list.change_marker", first, route.change_marker)
    numbers = (lookup(item, route.id) for item in items[:FOLLOWUP_PROBES])
    return [int(n) for n in numbers if isinstance(n, int | str) and str(n).isdigit()]


def _check_detail(connector: LaporV3, p: _Printer, complaint_id: int) -> None:
    route = connector.doc.routes.detail
    answer = _call(p, "routes.detail", connector, route.path.format(id=complaint_id), {})
    if answer is None:
        return
    record = lookup(answer, route.record)
    if not isinstance(record, dict):
        p.bad("routes.detail.record", _why(record, route.record))
        return
    p.good("routes.detail.record", route.record)
    _fields(p, "complaint", record, connector.doc.fields.complaint)
    logs = record.get(connector.doc.fields.complaint["status_logs"].path)
    if isinstance(logs, list) and logs and isinstance(logs[0], dict):
        _fields(p, "status_log", logs[0], connector.doc.fields.status_log)
    if route.logs:
        _found(p, "routes.detail.logs", answer, route.logs, optional=True)


def _check_paged(
    connector: LaporV3,
    p: _Printer,
    group: str,
    route: PagedRoute,
    specs: Mapping[str, FieldSpec],
    **ids: int,
) -> None:
    name = f"routes.{group}s"
    params = {k: v.format(page=1) for k, v in route.params.items()}
    answer = _call(p, name, connector, route.path.format(**ids), params)
    if answer is None:
        return
    items = _items(p, f"{name}.items", answer, route.items)
    if route.next:
        _found(p, f"{name}.next", answer, route.next, optional=True)
    if items:
        _fields(p, group, items[0], specs)
    else:
        p.note(f"fields.{group}", "no items to check the fields against")


def _items(p: _Printer, name: str, answer: Any, path: str) -> list[dict[str, Any]]:
    items = lookup(answer, path)
    if not isinstance(items, list):
        p.bad(name, _why(items, path))
        return []
    p.good(name, f"{path}: {len(items)} items")
    return [item for item in items if isinstance(item, dict)]


def _fields(
    p: _Printer, group: str, item: Mapping[str, Any], specs: Mapping[str, FieldSpec]
) -> None:
    for key, spec in specs.items():
        _found(p, f"fields.{group}.{key}", item, spec.path, optional=spec.optional)


def _found(p: _Printer, name: str, node: Any, path: str, *, optional: bool = False) -> None:
    value = lookup(node, path)
    if not isinstance(value, Missing):
        p.good(name, f"{path} = {_preview(value)}")
    elif optional:
        p.note(name, f"{_why(value, path)}; optional")
    else:
        p.bad(name, _why(value, path))


def _why(value: Any, path: str) -> str:
    if isinstance(value, Missing):
        return value.describe(path)
    return f"{path} is {type(value).__name__}"


def _preview(value: Any) -> str:
    # Types and sizes only: a value may be a reporter's name or phone number.
    if isinstance(value, list):
        return f"list of {len(value)}"
    if isinstance(value, dict):
        return f"object of {len(value)} keys"
    if isinstance(value, str):
        return f"text of {len(value)} chars"
    return type(value).__name__
