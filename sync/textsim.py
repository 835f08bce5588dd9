"""Words of a report as the office's memory compares them: folded, without filler.

Shared by ``sync.similar`` and ``sync.incidents``; the FTS5 index splits the
same way (``sync.matching``), so a word kept here can be asked of it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable

from sync import matching

# Indonesian filler that every report holds; asking the index for them costs
# time and ranks nothing.
_FILLER = """
yang dan di ke dari ini itu dengan untuk pada sudah belum tidak juga ada adalah akan
atau karena saat sejak sampai oleh dalam kami saya kita mereka kalian bapak ibu mohon
tolong agar segera bisa dapat masih lagi sangat sekali hari bulan minggu tahun
kemarin sekarang warga terima kasih atas para jadi hal tersebut setiap satu dua tiga
nya pun lah kah per se seperti sering banyak semua lebih kurang harus mau ingin
telah baru tadi pagi siang sore malam sedang namun tapi tetapi bahwa sebagai kepada
mengenai terhadap antara hingga setelah sebelum the of pak bu mas mbak dong ya
"""
STOPWORDS = frozenset(_FILLER.split())


def content_words(text: str) -> list[str]:
    """The words that say what a report is about, folded as the index folds them."""
    found, _ = matching.words(matching.fold(text))
    return [w for w in found if len(w) > 2 and w not in STOPWORDS and not w.isdigit()]


def cosine(a: Iterable[str], b: Iterable[str], weight: dict[str, float] | None = None) -> float:
    """Cosine of two bags of words as sets, each word weighted (1 when not given)."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    w = weight or {}
    dot = sum(w.get(x, 1.0) ** 2 for x in sa & sb)
    na = math.sqrt(sum(w.get(x, 1.0) ** 2 for x in sa))
    nb = math.sqrt(sum(w.get(x, 1.0) ** 2 for x in sb))
    return dot / (na * nb)


# Citizens name one thing many ways; a few of the words offices see daily, each
# to one concept. Written with the labelled set (tests/data/), so the set's
# figures flatter it: docs/PERFORMANCE.md says so.
#
# Two kinds, because one incident is one fault of one thing: a PROBLEM (what
# went wrong) and an OBJECT (what it went wrong with). "Retak" and "berlubang"
# are both damage, but a cracked bridge and a holed road are two incidents;
# ``sync.incidents`` asks both kinds to agree.
_PROBLEMS = {
    # Not working: the lamp, the tap, the pump. The object tells which.
    "mati": ("padam", "menyala", "mati", "gelap", "hidup", "mengalir", "terhenti",
             "berhenti", "kering"),
    "lubang": ("lubang", "berlubang", "terperosok", "tambal", "tambalan"),
    "retak": ("retak", "retakan", "ambruk", "runtuh", "bergoyang", "amblas"),
    # Damage in general: agrees with any particular damage (``GENERIC``).
    "rusak": ("rusak", "kerusakan", "hancur", "terkelupas", "jebol", "parah"),
    "antre": ("antre", "antrean", "antri", "antrian", "menunggu"),
    "lambat": ("lambat", "lama", "berjam", "jam"),
    "menumpuk": ("menumpuk", "tumpukan", "diangkut", "lalat", "busuk", "bau", "meluber",
                 "berserakan"),
    "keruh": ("keruh", "kotor", "coklat", "kecoklatan", "lumpur", "berlumpur"),
    "pungli": ("pungli", "pungutan", "pelicin", "bayar", "biaya", "uang", "mahal", "tarif"),
    "banjir": ("banjir", "genangan", "tergenang", "meluap", "tersumbat"),
    "bising": ("bising", "berisik", "kebisingan", "keras", "musik"),
    "tumbang": ("tumbang", "roboh"),
    "bocor": ("bocor",),
    "habis": ("habis", "kosong", "stok", "persediaan"),
    "sasaran": ("sasaran", "terdaftar", "daftar", "cair", "diterima"),
    "liar": ("liar",),
}
# The things a report is about. ``jalan`` is also what every address and many
# problems mention in passing ("lampu jalan", "sampai ke jalan"), so it counts
# only when a report names nothing more particular (``sync.incidents``).
_OBJECTS = {
    "jalan": ("jalan", "aspal", "ruas"),
    "jembatan": ("jembatan",),
    "lampu": ("pju", "penerangan", "lampu"),
    "saluran": ("drainase", "got", "saluran", "gorong"),
    # Not "air" itself: it is as often the puddle on a road or the flood.
    "pdam": ("pdam", "ledeng", "keran", "pipa", "pasokan", "aliran"),
    "sampah": ("sampah", "tps"),
    "pohon": ("pohon", "dahan", "ranting"),
    "atap": ("atap", "plafon"),
    "obat": ("obat", "resep", "apotek"),
    "loket": ("loket", "pendaftaran"),
    "bansos": ("bansos", "bantuan", "blt", "dtks", "penerima"),
    "ktp": ("ktp", "blangko", "dicetak", "cetak", "pencetakan"),
    "parkir": ("parkir", "jukir", "karcis"),
    "anjing": ("anjing", "rabies"),
    "seragam": ("seragam", "buku"),
    "kk": ("kk",),
}
# Words that mean something else together: "lampu merah" is where a place is (a
# junction), not a street lamp that went out.
_PHRASES = {"lampu merah": "simpang", "lampu lalu lintas": "simpang"}
# Words of an address that say what kind of place it is, not which: two
# puskesmas or two streets are not one place because both are called so.
_KINDS = """
jl jln jalan gang gg raya no blok puskesmas pustu rs rsud pasar perumahan kelurahan desa
kantor banjar dusun sd sdn smp smpn sma sman smk negeri kota kabupaten kecamatan
"""
PLACE_KINDS = frozenset(_KINDS.split())
PROBLEMS = frozenset(_PROBLEMS)
OBJECTS = frozenset(_OBJECTS)
GENERIC = frozenset({"rusak", "jalan"})
CONCEPT = {word: concept for table in (_PROBLEMS, _OBJECTS)
           for concept, said in table.items() for word in said}


def concept_words(text: str) -> list[str]:
    """``content_words`` with the phrases of ``_PHRASES`` read as their one concept."""
    folded = matching.fold(text)
    for phrase, concept in _PHRASES.items():
        folded = folded.replace(phrase, concept)
    return content_words(folded)


_PREFIXES = ("ber", "ter", "di", "me", "ke")
_SUFFIXES = ("nya", "kan", "an")


@functools.lru_cache(maxsize=65536)  # a report's words repeat across the pairs it is in
def stem(word: str) -> str:
    """A crude Indonesian stem (``berlubang`` -> ``lubang``), then its concept if it has one."""
    if word in CONCEPT:
        return CONCEPT[word]
    for suffix in _SUFFIXES:  # "retakan" is "retak" + "an", not "reta" + "kan"
        if word.endswith(suffix) and word[: -len(suffix)] in CONCEPT:
            return CONCEPT[word[: -len(suffix)]]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 4:
            word = word[len(prefix):]
            break
    return CONCEPT.get(word, word)
