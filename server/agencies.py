"""The agencies a report can be moved to ("Bukan Wewenang"), as the reference server knows them.

SP4N-LAPOR! keeps a national list of connected agencies; the reference
server serves a fixed catalogue of the kinds a district office meets most,
plus every office in its own database but the caller's. See docs/API-NOTES.md.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db import Office
from server.upstream.tables import UpstreamAgency  # a hub's; empty on a plain server

# (id, name): stable ids, so a client's cache and a request can name one.
CATALOGUE: tuple[tuple[str, str], ...] = (
    ("badan-pertanahan-nasional", "Badan Pertanahan Nasional (Kantor Pertanahan)"),
    ("bpjs-kesehatan", "BPJS Kesehatan"),
    ("bpjs-ketenagakerjaan", "BPJS Ketenagakerjaan"),
    ("dinas-dukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("dinas-kesehatan", "Dinas Kesehatan"),
    ("dinas-lingkungan-hidup", "Dinas Lingkungan Hidup"),
    ("dinas-pendidikan", "Dinas Pendidikan"),
    ("dinas-perhubungan", "Dinas Perhubungan"),
    ("dinas-pupr", "Dinas Pekerjaan Umum dan Penataan Ruang"),
    ("dinas-sosial", "Dinas Sosial"),
    ("kementerian-agama", "Kantor Kementerian Agama"),
    ("pdam", "Perumda Air Minum (PDAM)"),
    ("pln", "PT PLN (Persero)"),
    ("polres", "Kepolisian Resor (Polres)"),
    ("satpol-pp", "Satuan Polisi Pamong Praja"),
)


def agencies(session: Session, caller_office_id: str) -> list[dict[str, str]]:
    """The catalogue and the other offices, by name; on a hub, SP4N-LAPOR!'s own list.

    A hub's move request names its target by SP4N-LAPOR!'s id or exact name
    (``server.upstream.pusher``), so there the list is upstream's, as the
    poller last read it (daily).
    """
    upstream = [{"id": str(a.id), "name": a.name} for a in session.scalars(select(UpstreamAgency))]
    if upstream:
        return sorted(upstream, key=lambda a: a["name"].casefold())
    offices = session.scalars(select(Office).where(Office.id != caller_office_id))
    found = [{"id": i, "name": n} for i, n in CATALOGUE]
    found += [{"id": f"office:{o.id}", "name": o.name} for o in offices]
    return sorted(found, key=lambda a: a["name"].casefold())
