"""The "Kejadian Sama" score on pairs that tell one thing from another (issue 16)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sync.incidents import THRESHOLD, ReportText, pair_score

DAY = datetime(2026, 3, 2, 8, tzinfo=UTC)


def report(title: str, body: str, address: str, days: int = 0,
           district: str = "Denpasar Barat") -> ReportText:
    return ReportText(title, body, "infra", district, address, DAY + timedelta(days=days))


ROAD_HOLE = report("Lubang besar di jalan Gatot Subroto",
                   "Jalan berlubang dan aspal rusak, berbahaya untuk pengendara motor.",
                   "Jl. Gatot Subroto")
BRIDGE_CRACK = report("Jembatan Tukad Badung retak",
                      "Jembatan di Tukad Badung retak dan bergoyang saat dilewati truk.",
                      "Jl. Gatot Subroto", days=2)
BRIDGE_CRACK_AGAIN = report("Retakan di jembatan Tukad Badung",
                            "Ada retakan besar di jembatan Tukad Badung, takut ambruk.",
                            "Jl. Gatot Subroto", days=3)


def test_a_holed_road_and_a_cracked_bridge_nearby_are_two_incidents() -> None:
    # Both are damage, on one street, two days apart: only the object differs.
    assert pair_score(ROAD_HOLE, BRIDGE_CRACK) < THRESHOLD
    assert pair_score(ROAD_HOLE, BRIDGE_CRACK_AGAIN) < THRESHOLD


def test_two_wordings_of_one_bridge_crack_are_one_incident() -> None:
    assert pair_score(BRIDGE_CRACK, BRIDGE_CRACK_AGAIN) >= THRESHOLD


def test_the_same_object_with_another_fault_is_another_incident() -> None:
    lamp = report("Lampu jembatan Tukad Badung mati",
                  "Lampu penerangan di jembatan Tukad Badung padam, gelap kalau malam.",
                  "Jl. Gatot Subroto", days=1)
    assert pair_score(BRIDGE_CRACK, lamp) < THRESHOLD


def test_a_traffic_light_named_as_a_landmark_is_not_a_street_lamp() -> None:
    street = "Jl. Gatot Subroto Barat"
    assert pair_score(
        report("Jalan berlubang di Gatot Subroto",
               "Ada lubang besar di jalan dekat lampu merah, motor saya hampir jatuh.", street),
        report("Lampu jalan tidak menyala",
               "Lampu jalan di Gatot Subroto Barat mati semua, rawan jambret.", street, days=1),
    ) < THRESHOLD


def test_two_puskesmas_do_not_meet_on_the_word_puskesmas() -> None:
    sanur = report("Antrean Puskesmas Sanur lama", "Antre dari jam tujuh sampai siang.",
                   "Puskesmas Sanur II", district="Denpasar Selatan")
    ubung = report("Antrean panjang Puskesmas Ubung", "Antre pendaftaran dari subuh.",
                   "Puskesmas Ubung", days=1, district="Denpasar Utara")
    assert pair_score(sanur, ubung) < THRESHOLD
