"""The demo's stories for the office's memory (issue 16).

Two kinds: reports of one incident by several citizens in their own words,
days apart (so "Kejadian Sama" has something to suggest), and an earlier
complaint on the same topic that the office answered well, closed and rated
(so "Pengaduan Serupa" has a reply worth reusing). All in the demo office's
district, Badung.
"""

from __future__ import annotations

from dataclasses import dataclass

ROADS = ("infrastruktur", "Infrastruktur")
HEALTH = ("kesehatan", "Kesehatan")
ENVIRONMENT = ("lingkungan", "Lingkungan Hidup dan Kehutanan")


@dataclass(frozen=True)
class Story:
    category: tuple[str, str]  # (id, name) as in server.seed_data.CATEGORIES
    district: str
    village: str
    title: str
    body: str
    age_days: int
    status: str  # verified, in_progress, completed
    reply: str | None = None  # the office's answer, for an answered story


_LAMP_REPLY = (
    "Terima kasih atas laporan Bapak/Ibu. Kami telah berkoordinasi dengan Dinas "
    "Perhubungan Kabupaten Badung; petugas memeriksa lokasi dan mengganti lampu "
    "penerangan jalan umum yang rusak dalam tiga hari kerja. Bila lampu kembali mati, "
    "mohon laporkan lagi melalui kanal ini."
)
_QUEUE_REPLY = (
    "Terima kasih atas masukan Bapak/Ibu. Puskesmas telah menambah satu petugas "
    "pendaftaran pada jam ramai (07.30-10.00) dan membuka pendaftaran daring melalui "
    "aplikasi. Kami akan memantau waktu tunggu selama satu bulan ke depan."
)

INCIDENT_STORIES: tuple[Story, ...] = (
    # Answered well, weeks ago: the replies worth reusing.
    Story(ROADS, "Badung", "Kerobokan", "Lampu jalan mati di Jalan Raya Kerobokan",
          "Lampu penerangan jalan di Jalan Raya Kerobokan mati semua, malam hari gelap "
          "dan banyak pengendara hampir jatuh.", 45, "completed", _LAMP_REPLY),
    Story(HEALTH, "Badung", "Mengwi", "Antrean panjang di Puskesmas Mengwi",
          "Setiap pagi antrean pendaftaran di Puskesmas Mengwi sangat panjang, kami "
          "menunggu lebih dari dua jam.", 60, "completed", _QUEUE_REPLY),
    # One incident, three citizens, this week: the PJU on Jalan Bypass Jimbaran.
    Story(ROADS, "Badung", "Jimbaran", "PJU di Jalan Bypass Jimbaran padam",
          "Sudah lima malam lampu PJU di Jalan Bypass Jimbaran dekat simpang Kedonganan "
          "padam. Jalan gelap gulita dan rawan kecelakaan.", 4, "verified"),
    Story(ROADS, "Badung", "Jimbaran", "Jalan bypass Jimbaran gelap, lampu mati",
          "Mohon bantuan, lampu penerangan di bypass Jimbaran arah Kedonganan tidak "
          "menyala sejak minggu lalu. Anak saya pulang kerja malam takut lewat.", 3,
          "verified"),
    Story(ROADS, "Badung", "Jimbaran", "Penerangan jalan bypass Jimbaran rusak",
          "Lampu-lampu jalan sepanjang bypass Jimbaran dekat Kedonganan mati, kemarin "
          "ada motor menabrak pembatas karena gelap.", 2, "verified"),
    # One incident, two citizens: rubbish piling up at the Kuta market.
    Story(ENVIRONMENT, "Badung", "Kuta", "Sampah menumpuk di Pasar Kuta",
          "Sampah di belakang Pasar Kuta sudah seminggu tidak diangkut, baunya "
          "menyengat sampai ke rumah warga.", 5, "verified"),
    Story(ENVIRONMENT, "Badung", "Kuta", "Tumpukan sampah Pasar Kuta tidak diangkut",
          "Truk sampah tidak datang ke Pasar Kuta sejak Senin, tumpukan sampah makin "
          "tinggi dan lalat di mana-mana.", 3, "verified"),
    # Same place, another problem: not the same incident.
    Story(ENVIRONMENT, "Badung", "Kuta", "Parkir liar di depan Pasar Kuta",
          "Banyak kendaraan parkir di bahu jalan depan Pasar Kuta sehingga jalan "
          "macet setiap pagi.", 4, "verified"),
)
