"""The simulator's records as v3 JSON: field names, ``d-m-Y H:i:s`` local times, pages."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any, TypeVar

from server.upstream.simulator_records import (
    STATUS_CODES,
    Complaint,
    DataLog,
    Followup,
    Template,
)

T = TypeVar("T")

TIME_FORMAT = "%d-%m-%Y %H:%M:%S"


def local_time(at: datetime, tz: tzinfo) -> str:
    return at.astimezone(tz).strftime(TIME_FORMAT)


def listing_item(c: Complaint, names: Mapping[int, str], tz: tzinfo) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": c.title,
        "status_code": STATUS_CODES[c.status_name],
        "status_name": c.status_name,
        "disposition_id": c.disposition_id,
        "disposition_name": names.get(c.disposition_id),
        "created_at": local_time(c.created_at, tz),
        "updated_at": local_time(c.updated_at, tz),
    }


def complaint_record(c: Complaint, names: Mapping[int, str], tz: tzinfo) -> dict[str, Any]:
    """``results.data`` of the detail route: every field the shipped profile reads."""
    user = None
    if c.reporter is not None and not c.is_anonymous:
        user = {"name": c.reporter.name, "phone": c.reporter.phone, "email": c.reporter.email}
    return {
        **listing_item(c, names, tz),
        "content": c.content,
        "category_id": c.category_id,
        "category_name": c.category_name,
        "classification_name": c.classification_name,
        "source_name": c.source_name,
        "is_anonymous": int(c.is_anonymous),
        "is_secret": int(c.is_secret),
        "user": user,
        "location": {"address": c.address, "district": c.district},
        "rating": c.rating,
        "rating_comment": c.rating_comment,
        "status_logs": [{"note": s.note, "timestamp": local_time(s.at, tz)} for s in c.status_logs],
    }


def data_log_item(d: DataLog, tz: tzinfo) -> dict[str, Any]:
    # ``data`` is a JSON string inside the JSON, as v3 sends it.
    return {
        "content": d.content,
        "data": json.dumps(d.data, ensure_ascii=False),
        "created_at": local_time(d.at, tz),
    }


def followup_item(f: Followup, names: Mapping[int, str], tz: tzinfo) -> dict[str, Any]:
    def name(iid: int | None) -> str | None:
        return None if iid is None else names.get(iid)

    return {
        "id": f.id,
        "complaint_id": f.complaint_id,
        "created_at": local_time(f.created_at, tz),
        "content": f.content,
        "template_code": f.template_code,
        "template_content": f.template_content,
        "institution_from_name": name(f.institution_from_id),
        "institution_to_name": name(f.institution_to_id),
        "user_type": f.user_type,
        "is_secret": int(f.is_secret),
        "attachments": [{"path": a.path, "file_name": a.file_name} for a in f.attachments],
    }


def template_item(t: Template) -> dict[str, Any]:
    return {
        "template_code": t.template_code,
        "title": t.title,
        "type": t.type,
        "content": t.content,
    }


def renamed(record: dict[str, Any], renames: Mapping[str, str]) -> dict[str, Any]:
    """``record`` with each dotted path's last key renamed (``{"user.name": "nama"}``).

    A path through a list renames the key in every entry (``"status_logs.note"``).
    """
    for path, new in renames.items():
        _rename(record, path.split("."), new)
    return record


def _rename(node: Any, keys: list[str], new: str) -> None:
    if isinstance(node, list):
        for item in node:
            _rename(item, keys, new)
    elif isinstance(node, dict):
        head, *rest = keys
        if rest:
            _rename(node.get(head), rest, new)
        elif head in node:
            node[new] = node.pop(head)


def page_of(items: Sequence[T], page: int, page_size: int) -> tuple[Sequence[T], bool]:
    """One page (1-based) and whether another follows."""
    start = (page - 1) * page_size
    return items[start : start + page_size], start + page_size < len(items)
