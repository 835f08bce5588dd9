"""SP4N-LAPOR! v3 behind SPLP: the connector, driven by the profile's routes and paths.

Reads take the read timeout, posts the write timeout (the only known caller
uses 30 s and 90 s). A post is never repeated here: whether one that got no
answer arrived is the pusher's question (``pusher``), answered by reading.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import requests

from server.upstream.connector import (
    CREDENTIALS_REFUSED,
    Agency,
    FollowupPost,
    Listed,
    ListingUnavailable,
    MalformedRecord,
    MoveRequest,
    RemoteComplaint,
    RemoteFollowup,
    RemoteStatusLog,
    RemoteTemplate,
    SendOutcome,
    Sent,
    UpstreamError,
)
from server.upstream.paths import Missing, lookup
from server.upstream.profile import Credentials, FieldSpec, PagedRoute, Profile

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10.0
# Statuses after which a post surely had no effect and may simply be tried again.
_NOT_APPLIED = frozenset({408, 429})
_MAX_MESSAGE = 500


class LaporV3:
    """The ``Connector`` for SP4N-LAPOR! v3, as the profile describes it."""

    def __init__(
        self,
        profile: Profile,
        credentials: Credentials,
        *,
        session: requests.Session | None = None,
        base_url: str | None = None,
    ) -> None:
        self.profile = profile
        self.doc = profile.doc
        self.base = (base_url or self.doc.upstream.base_url).rstrip("/")
        self.http = session or requests.Session()
        self.http.trust_env = True  # an agency's proxy settings apply
        if self.doc.upstream.ca_bundle:
            self.http.verify = self.doc.upstream.ca_bundle
        auth = self.doc.auth
        self._headers = {
            auth.authorization_header: credentials.authorization,
            auth.token_header: credentials.token,
            "Accept": "application/json",
        }
        # Counted for the benchmark and the logs: what a cycle cost.
        self.requests_made = 0
        self.bytes_received = 0

    # --- reads ------------------------------------------------------------

    def list_assigned(self) -> Iterator[Listed]:
        route = self.doc.routes.list
        if not route.enabled:
            raise ListingUnavailable("the profile has no listing route", sent=False)
        page = 1
        while page <= self.doc.poll.page_limit:
            params = _fill(route.params, page=page, page_size=self.doc.poll.page_size)
            try:
                answer = self.get_json(route.path, params)
            except UpstreamError as exc:
                if exc.status in (404, 405, 501):
                    raise ListingUnavailable(f"the listing route answered {exc.status}") from exc
                raise
            items = lookup(answer, route.items)
            if not isinstance(items, list):
                raise ListingUnavailable(f"listing: {_describe(items, route.items)}")
            for item in items:
                upstream_id = _as_int(lookup(item, route.id))
                if upstream_id is None:
                    log.warning("listing: an entry without a readable %r was skipped", route.id)
                    continue
                marker = lookup(item, route.change_marker) if route.change_marker else None
                yield Listed(upstream_id, None if _absent(marker) else str(marker))
            if not items or _absent(lookup(answer, route.next)):
                return
            page += 1

    def complaint(self, upstream_id: int) -> RemoteComplaint:
        route = self.doc.routes.detail
        answer = self.get_json(_fill_path(route.path, id=upstream_id), {})
        record = lookup(answer, route.record)
        if not isinstance(record, dict):
            raise MalformedRecord(_describe(record, route.record))
        return self._read_complaint(upstream_id, record, self.followups(upstream_id))

    def followups(self, upstream_id: int) -> list[RemoteFollowup]:
        spec = self.doc.fields.followup
        reporter = set(self.doc.maps.reporter_author)
        out = []
        for item in self._pages(self.doc.routes.followups, id=upstream_id):
            values = self._fields(item, spec, "follow-up")
            attachments = values.get("attachments") or []
            names = tuple(
                str(a.get("file_name") or a.get("path") or "")
                for a in attachments
                if isinstance(a, dict)
            )
            out.append(
                RemoteFollowup(
                    at=self._time(values["at"], "follow-up created_at"),
                    content=str(values["content"] or ""),
                    from_name=str(values.get("from_name") or ""),
                    to_name=str(values.get("to_name") or ""),
                    by_reporter=str(values.get("author_type") or "") in reporter,
                    attachment_names=names,
                )
            )
        return out

    def templates(self) -> list[RemoteTemplate]:
        spec = self.doc.fields.template
        out = []
        for item in self._pages(self.doc.routes.templates):
            values = self._fields(item, spec, "template")
            out.append(
                RemoteTemplate(
                    code=str(values["code"]),
                    title=str(values["title"]),
                    type=str(values.get("type") or ""),
                    body=str(values["body"] or ""),
                )
            )
        return out

    def agencies(self) -> list[Agency]:
        spec = self.doc.fields.institution
        out = []
        for item in self._pages(self.doc.routes.institutions):
            values = self._fields(item, spec, "institution")
            number = _as_int(values["id"])
            if number is not None:
                out.append(Agency(number, str(values["name"])))
        return out

    # --- writes -----------------------------------------------------------

    def post_followup(self, post: FollowupPost) -> Sent:
        push = self.doc.push.followup
        form = {**push.form, **(push.complete_form if post.complete else {})}
        fields = _fill(
            form,
            user_id=post.user_id,
            institution_id=post.institution_id,
            upstream_id=post.upstream_id,
            is_secret=int(post.confidential),
            content=post.content,
        )
        files = [
            (push.file_field.format(index=i), (a.filename, a.data, a.mime))
            for i, a in enumerate(post.attachments)
        ]
        return self._send("POST", push.path, data=fields, files=files or None)

    def request_move(self, request: MoveRequest) -> Sent:
        push = self.doc.push.reject
        body = _fill_json(
            push.body,
            target_institution_id=request.target_institution_id,
            reason=request.reason,
            upstream_id=request.upstream_id,
        )
        return self._send("POST", _fill_path(push.path, upstream_id=request.upstream_id), json=body)

    # --- plumbing ---------------------------------------------------------

    def get_json(self, path: str, params: Mapping[str, str]) -> Any:
        """One read, its JSON answer; ``UpstreamError`` for a failure."""
        timeout = (CONNECT_TIMEOUT_S, self.doc.upstream.read_timeout_s)
        try:
            response = self.http.get(
                self.base + path, params=dict(params), headers=self._headers, timeout=timeout
            )
        except requests.RequestException as exc:
            raise UpstreamError(f"GET {path}: {type(exc).__name__}", sent=False) from None
        self._count(response)
        if not response.ok:
            raise UpstreamError(
                f"GET {path}: {response.status_code} {_message(response)}",
                status=response.status_code,
            )
        try:
            return response.json()
        except ValueError:
            raise UpstreamError(f"GET {path}: the answer is not JSON") from None

    def _send(self, method: str, path: str, **body: Any) -> Sent:
        timeout = (CONNECT_TIMEOUT_S, self.doc.upstream.write_timeout_s)
        try:
            response = self.http.request(
                method, self.base + path, headers=self._headers, timeout=timeout, **body
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            # A refused or timed-out connection sent nothing; a read timeout may have.
            surely_not = isinstance(exc, requests.ConnectTimeout) or (
                isinstance(exc, requests.ConnectionError)
                and not isinstance(exc, requests.ReadTimeout)
                and _before_sending(exc)
            )
            outcome = SendOutcome.NOT_SENT if surely_not else SendOutcome.UNKNOWN
            return Sent(outcome, f"{method} {path}: {type(exc).__name__}")
        except requests.RequestException as exc:
            return Sent(SendOutcome.UNKNOWN, f"{method} {path}: {type(exc).__name__}")
        self._count(response)
        status = response.status_code
        if response.ok:
            return Sent(SendOutcome.DELIVERED)
        if status in _NOT_APPLIED or status in CREDENTIALS_REFUSED:
            return Sent(SendOutcome.NOT_SENT, f"{status} {_message(response)}", status)
        if status >= 500:
            return Sent(SendOutcome.UNKNOWN, f"{status} {_message(response)}", status)
        return Sent(SendOutcome.REFUSED, _message(response), status)

    def _pages(self, route: PagedRoute, **ids: int) -> Iterator[dict[str, Any]]:
        path = _fill_path(route.path, **ids)
        page = 1
        while page <= self.doc.poll.page_limit:
            answer = self.get_json(path, _fill(route.params, page=page))
            items = lookup(answer, route.items)
            if not isinstance(items, list):
                raise MalformedRecord(_describe(items, route.items))
            yield from (item for item in items if isinstance(item, dict))
            if route.next is None or not items or _absent(lookup(answer, route.next)):
                return
            page += 1

    def _fields(
        self, item: Mapping[str, Any], spec: Mapping[str, FieldSpec], what: str
    ) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, field_spec in spec.items():
            value = lookup(item, field_spec.path)
            if isinstance(value, Missing):
                if not field_spec.optional:
                    raise MalformedRecord(f"{what}: {value.describe(field_spec.path)}")
                value = None
            values[name] = value
        return values

    def _read_complaint(
        self, upstream_id: int, record: Mapping[str, Any], followups: list[RemoteFollowup]
    ) -> RemoteComplaint:
        values = self._fields(record, self.doc.fields.complaint, "complaint")
        logs_raw = values["status_logs"] or []
        if not isinstance(logs_raw, list):
            raise MalformedRecord("complaint: status_logs is not a list")
        logs = []
        for entry in logs_raw:
            if not isinstance(entry, dict):
                raise MalformedRecord("complaint: a status log is not an object")
            log_values = self._fields(entry, self.doc.fields.status_log, "status log")
            logs.append(
                RemoteStatusLog(
                    at=self._time(log_values["at"], "status log timestamp"),
                    note=str(log_values["note"] or ""),
                )
            )
        status = values["status"]
        if not isinstance(status, str) or not status:
            raise MalformedRecord("complaint: status name is empty")
        title = str(values["title"] or "").strip()
        if not title:
            raise MalformedRecord("complaint: title is empty")
        rating = _as_int(values.get("rating"))
        return RemoteComplaint(
            upstream_id=upstream_id,
            title=title,
            body=str(values["body"] or ""),
            status_name=status,
            disposition_id=_as_int(values["disposition_id"]),
            submitted_at=self._time(values["submitted_at"], "created_at"),
            updated_at=(
                self._time(values["updated_at"], "updated_at") if values.get("updated_at") else None
            ),
            category_id=str(values.get("category_id") or ""),
            category_name=str(values.get("category_name") or ""),
            classification=str(values.get("classification") or ""),
            source=str(values.get("source") or ""),
            anonymous=_as_bool(values.get("anonymous")),
            confidential=_as_bool(values.get("confidential")),
            reporter_name=_text(values.get("reporter_name")),
            reporter_phone=_text(values.get("reporter_phone")),
            reporter_email=_text(values.get("reporter_email")),
            address=_text(values.get("address")),
            district=_text(values.get("district")),
            rating=rating if rating is not None and 1 <= rating <= 5 else None,
            rating_comment=_text(values.get("rating_comment")),
            status_logs=tuple(logs),
            followups=tuple(followups),
        )

    def _time(self, value: Any, what: str) -> datetime:
        if not isinstance(value, str):
            raise MalformedRecord(f"{what} is not a time: {value!r:.40}")
        try:
            local = datetime.strptime(value.strip(), self.doc.upstream.date_format)
        except ValueError:
            try:  # some routes may answer ISO times
                moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                fmt = self.doc.upstream.date_format
                raise MalformedRecord(f"{what} {value!r:.40} does not match {fmt}") from None
            local = moment
        if local.tzinfo is None:
            local = local.replace(tzinfo=self.profile.zone)
        return local.astimezone(UTC)

    def _count(self, response: requests.Response) -> None:
        self.requests_made += 1
        self.bytes_received += len(response.content)


def _fill(template: Mapping[str, str], **values: Any) -> dict[str, str]:
    return {key: str(value).format(**values) for key, value in template.items()}


def _fill_path(path: str, **values: Any) -> str:
    return path.format(**{key: quote(str(v), safe="") for key, v in values.items()})


def _fill_json(template: Mapping[str, Any], **values: Any) -> dict[str, Any]:
    """A JSON body from the profile: a value that is exactly "{name}" keeps its type."""
    out: dict[str, Any] = {}
    for key, value in template.items():
        if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
            name = value[1:-1]
            out[key] = values.get(name, value)
        elif isinstance(value, str):
            out[key] = value.format(**values)
        else:
            out[key] = value
    return out


def _message(response: requests.Response) -> str:
    """Upstream's own words for a failure (its ``message``), never more than a line or two."""
    try:
        body = response.json()
    except ValueError:
        body = None
    text = ""
    if isinstance(body, dict):
        message = body.get("message") or lookup(body, "results.message")
        if isinstance(message, str):
            text = message
        elif message is not None and not isinstance(message, Missing):
            text = json.dumps(message, ensure_ascii=False)
    if not text:
        text = response.reason or f"HTTP {response.status_code}"
    return " ".join(text.split())[:_MAX_MESSAGE]


def _before_sending(exc: requests.ConnectionError) -> bool:
    """A connection that was never made (refused, no route, DNS) carried no request."""
    text = repr(exc)
    return any(
        sign in text
        for sign in ("NewConnectionError", "Connection refused", "Name or service", "No route")
    )


def _absent(value: Any) -> bool:
    return value is None or isinstance(value, Missing) or value == ""


def _describe(value: Any, path: str) -> str:
    if isinstance(value, Missing):
        return value.describe(path)
    return f"{path!r} is {type(value).__name__}, not a list or object"


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "ya", "yes")
    return bool(value)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, Missing):
        return None
    text = str(value).strip()
    return text or None
