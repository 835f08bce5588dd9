"""A hub's word on the office's sent actions: waiting for, delivered to, or refused by SP4N-LAPOR!.

The hub adds note events carrying ``upstream`` (protocol.UpstreamDelivery)
that name the mutation or review of the office action. The latest one for
a reply is where it stands; a refusal turns the sent reply into a refused
one, with SP4N-LAPOR!'s words, so the officer revises and sends again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync import workflow
from sync.store.local import Reply
from sync.store.models import Event
from sync.values import Delivery, ReplyState


def delivery_of(reply: Reply, upstream: Iterable[dict[str, Any] | None]) -> Delivery | None:
    """The newest word (events in timeline order) on this reply, if the server is a hub."""
    found = None
    for word in upstream:
        if word and _names(word, reply):
            found = word
    return Delivery(found["state"]) if found else None


def settle_refusals(session: Session, complaint_id: str, now: datetime) -> None:
    """Sent replies of this complaint that SP4N-LAPOR! refused become refused replies."""
    sent = list(session.scalars(
        select(Reply).where(Reply.complaint_id == complaint_id,
                            Reply.state == ReplyState.SENT.value)
    ))
    if not sent:
        return
    words = list(session.scalars(
        select(Event.upstream).where(Event.complaint_id == complaint_id)
        .order_by(Event.position)
    ))
    for reply in sent:
        if delivery_of(reply, words) != Delivery.REFUSED:
            continue
        last = next(w for w in reversed(words) if w and _names(w, reply))
        # Its words alone: ReplyInfo.delivery says they are SP4N-LAPOR!'s, not the hub's.
        reason = str(last.get("message") or "SP4N-LAPOR!")
        workflow.refused_upstream(session, reply, reason=reason, now=now)


def _names(word: dict[str, Any], reply: Reply) -> bool:
    if reply.mutation_id and word.get("mutation_id") == reply.mutation_id:
        return True
    return bool(reply.review_id) and word.get("review_id") == reply.review_id
