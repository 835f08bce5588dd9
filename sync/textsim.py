"""Words of a report as the office's memory compares them: folded, without filler.

Shared by ``sync.similar`` and ``sync.incidents``; the FTS5 index splits the
same way (``sync.matching``), so a word kept here can be asked of it.
"""

from __future__ import annotations

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
_CONCEPTS = {
    "lampu": ("pju", "penerangan", "lampu"),
    "mati": ("padam", "menyala", "mati", "gelap"),
    "lubang": ("lubang", "berlubang", "terperosok", "tambal", "tambalan", "aspal"),
    "rusak": ("rusak", "kerusakan", "hancur", "retak", "terkelupas", "jebol"),
    "antre": ("antre", "antrean", "antri", "antrian", "menunggu", "loket"),
    "lambat": ("lambat", "lama", "berjam", "jam"),
    "sampah": ("sampah", "tps", "lalat", "busuk"),
    "air": ("air", "pdam", "ledeng", "keran", "pipa"),
    "keruh": ("keruh", "kotor", "coklat", "kecoklatan", "lumpur", "berlumpur"),
    "pungli": ("pungli", "pungutan", "pelicin", "bayar", "biaya", "uang", "mahal", "tarif"),
    "banjir": ("banjir", "genangan", "tergenang", "meluap", "drainase", "got", "saluran"),
    "bising": ("bising", "berisik", "kebisingan", "keras", "musik"),
    "tumbang": ("tumbang", "roboh", "pohon"),
    "bocor": ("bocor", "atap", "plafon"),
    "obat": ("obat", "resep", "apotek", "stok", "persediaan"),
    "bansos": ("bansos", "bantuan", "blt", "dtks", "penerima"),
    "ktp": ("ktp", "blangko", "dicetak", "cetak", "pencetakan"),
}
CONCEPT = {word: concept for concept, said in _CONCEPTS.items() for word in said}
_PREFIXES = ("ber", "ter", "di", "me", "ke")
_SUFFIXES = ("nya", "kan", "an")


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
