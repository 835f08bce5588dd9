# ruff: noqa: E501  (one hand-written report a line: the sentences read whole)
"""Hand-written reports for the incident-link labelled set (tests/data/README.md).

Each incident is told by three citizens in their own words. Incidents share
places (same road, different problem) and problems (same problem, another
place, or the same place weeks later) so that the negatives are hard.
``python -m tests.data.incident_reports`` writes incident_pairs.json.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

# (incident, category, district, address, day, [(title, body), ...])
INCIDENTS = [
    ("gatsu-lubang", "infra", "Denpasar Barat", "Jl. Gatot Subroto Barat", 10, [
        ("Jalan berlubang di Gatot Subroto", "Ada lubang besar di jalan dekat lampu merah, motor saya hampir jatuh."),
        ("Lubang aspal Jl. Gatsu Barat", "Aspal terkelupas dan berlubang dalam, bahaya kalau hujan karena tergenang."),
        ("Kerusakan jalan Gatot Subroto", "Jalan rusak berlubang depan minimarket, sudah ada pengendara celaka."),
    ]),
    ("gatsu-lampu", "infra", "Denpasar Barat", "Jl. Gatot Subroto Barat", 11, [
        ("Lampu PJU mati di Gatsu", "Penerangan jalan umum padam sepanjang malam, gelap sekali."),
        ("Lampu jalan tidak menyala", "Lampu jalan di Gatot Subroto Barat mati semua, rawan jambret."),
        ("PJU padam Gatot Subroto", "Sudah empat malam lampu penerangan jalan tidak hidup."),
    ]),
    ("gatsu-lubang-lama", "infra", "Denpasar Barat", "Jl. Gatot Subroto Barat", 70, [
        ("Jalan Gatsu berlubang lagi", "Lubang di jalan muncul kembali setelah ditambal, aspal hancur."),
        ("Tambalan jalan rusak", "Tambalan aspal di Gatot Subroto sudah lepas, berlubang lagi."),
        ("Lubang baru di Gatsu Barat", "Ada lubang baru yang dalam di jalur kiri, motor terperosok."),
    ]),
    ("kuta-lubang", "infra", "Kuta", "Jl. Sunset Road", 12, [
        ("Jalan berlubang Sunset Road", "Lubang besar di jalan Sunset Road dekat simpang, motor jatuh."),
        ("Aspal rusak di Sunset Road", "Aspal berlubang dan tergenang air, pengendara harus menghindar."),
        ("Kerusakan jalan Sunset Road Kuta", "Jalan rusak berlubang, sudah dua mobil pecah ban."),
    ]),
    ("pkm-antre", "kesehatan", "Denpasar Selatan", "Puskesmas Sanur II", 15, [
        ("Antrean Puskesmas Sanur lama", "Saya antre dari jam tujuh pagi sampai siang belum dipanggil."),
        ("Pelayanan lambat di Puskesmas Sanur II", "Loket pendaftaran hanya satu, pasien menumpuk berjam-jam."),
        ("Puskesmas Sanur antre berjam-jam", "Ibu saya yang sakit harus menunggu empat jam untuk diperiksa."),
    ]),
    ("pkm-obat", "kesehatan", "Denpasar Selatan", "Puskesmas Sanur II", 16, [
        ("Obat habis di Puskesmas Sanur", "Resep dari dokter tidak bisa diambil karena stok obat kosong."),
        ("Stok obat kosong", "Apotek Puskesmas Sanur II bilang obat hipertensi habis sejak minggu lalu."),
        ("Tidak dapat obat di puskesmas", "Pasien disuruh beli obat sendiri di luar, persediaan puskesmas habis."),
    ]),
    ("pkm-antre-ubung", "kesehatan", "Denpasar Utara", "Puskesmas Ubung", 17, [
        ("Antrean panjang Puskesmas Ubung", "Antre pendaftaran dari subuh, pelayanan sangat lambat."),
        ("Pelayanan Puskesmas Ubung lambat", "Petugas loket sedikit, pasien menunggu berjam-jam."),
        ("Menunggu lama di Puskesmas Ubung", "Anak saya demam tapi harus antre tiga jam."),
    ]),
    ("sampah-badung", "kebersihan", "Denpasar Barat", "Pasar Badung", 20, [
        ("Sampah menumpuk di Pasar Badung", "Tumpukan sampah di belakang pasar tidak diangkut, bau busuk."),
        ("Bau sampah Pasar Badung", "Sampah pasar sudah seminggu tidak diangkut truk DLHK."),
        ("TPS Pasar Badung penuh", "Tempat sampah sementara meluber sampai ke jalan, banyak lalat."),
    ]),
    ("badung-parkir", "ketertiban", "Denpasar Barat", "Pasar Badung", 21, [
        ("Parkir liar Pasar Badung", "Juru parkir liar memungut tarif dua kali lipat di depan pasar."),
        ("Pungutan parkir di Pasar Badung", "Tukang parkir tanpa karcis minta sepuluh ribu untuk motor."),
        ("Jukir liar di pasar", "Parkir di Pasar Badung ditarik mahal tanpa karcis resmi."),
    ]),
    ("sampah-kreneng", "kebersihan", "Denpasar Timur", "Pasar Kreneng", 22, [
        ("Sampah Pasar Kreneng tidak diangkut", "Sampah pasar menumpuk dan bau, sudah lima hari."),
        ("Tumpukan sampah Kreneng", "TPS di Pasar Kreneng penuh, sampah berserakan ke jalan."),
        ("Bau busuk di Pasar Kreneng", "Sampah tidak diangkut, lalat di mana-mana dekat pedagang."),
    ]),
    ("pdam-keruh", "air", "Denpasar Timur", "Perumahan Kesiman Permai", 25, [
        ("Air PDAM keruh", "Air dari keran berwarna coklat dan berbau, tidak bisa dipakai masak."),
        ("Air ledeng kotor di Kesiman", "Air PDAM di perumahan kami keruh seperti lumpur sejak kemarin."),
        ("Kualitas air PDAM buruk", "Air berwarna kecoklatan keluar dari pipa, warga Kesiman Permai mengeluh."),
    ]),
    ("pdam-mati", "air", "Denpasar Timur", "Perumahan Kesiman Permai", 26, [
        ("Air PDAM mati total", "Sudah tiga hari air tidak mengalir sama sekali ke rumah."),
        ("Tidak ada air di Kesiman Permai", "Keran kering sejak Senin, warga harus beli air galon."),
        ("Pasokan air terhenti", "Aliran PDAM di perumahan kami berhenti tanpa pemberitahuan."),
    ]),
    ("pdam-keruh-padangsambian", "air", "Denpasar Barat", "Padangsambian Kaja", 27, [
        ("Air keruh Padangsambian", "Air PDAM keruh dan berbau di Padangsambian Kaja."),
        ("Air PDAM kotor", "Air dari pipa kecoklatan di rumah kami di Padangsambian."),
        ("Air ledeng berlumpur", "Keran mengeluarkan air berlumpur, warga Padangsambian Kaja resah."),
    ]),
    ("banjir-teuku", "infra", "Denpasar Barat", "Jl. Teuku Umar", 30, [
        ("Banjir di Teuku Umar", "Setiap hujan deras jalan Teuku Umar tergenang setinggi lutut."),
        ("Genangan air Jl. Teuku Umar", "Got tersumbat sehingga air meluap ke jalan dan toko."),
        ("Drainase tersumbat Teuku Umar", "Saluran air penuh sampah, jalan banjir kalau hujan."),
    ]),
    ("pohon-tumbang", "infra", "Denpasar Utara", "Jl. Gatot Subroto Timur", 31, [
        ("Pohon tumbang di Gatsu Timur", "Pohon besar roboh menutup separuh jalan, lalu lintas macet."),
        ("Pohon roboh menimpa kabel", "Pohon tumbang di Gatot Subroto Timur menimpa kabel listrik."),
        ("Jalan tertutup pohon", "Batang pohon tumbang belum dipotong, kendaraan harus memutar."),
    ]),
    ("ktp-lambat", "adminduk", "Denpasar Selatan", "Disdukcapil Kota", 33, [
        ("KTP elektronik belum jadi", "Sudah tiga bulan rekam KTP-el tapi kartu belum dicetak."),
        ("Pencetakan e-KTP lama", "Saya menunggu KTP elektronik berbulan-bulan, katanya blangko habis."),
        ("Blangko KTP habis", "Disdukcapil bilang blangko kosong, KTP saya belum bisa dicetak."),
    ]),
    ("kk-pungli", "adminduk", "Denpasar Selatan", "Kantor Desa Sidakarya", 34, [
        ("Pungli urus KK di desa", "Petugas desa minta uang dua ratus ribu untuk mengurus kartu keluarga."),
        ("Biaya tidak resmi Kartu Keluarga", "Di Kantor Desa Sidakarya dimintai uang pelicin untuk KK."),
        ("Pungutan liar Desa Sidakarya", "Urus KK harus bayar padahal gratis, tidak ada kuitansi."),
    ]),
    ("sekolah-atap", "pendidikan", "Denpasar Utara", "SD Negeri 3 Peguyangan", 36, [
        ("Atap kelas SD bocor", "Atap ruang kelas SDN 3 Peguyangan bocor, murid belajar kebasahan."),
        ("Plafon sekolah hampir runtuh", "Plafon kelas di SD Negeri 3 Peguyangan jebol karena bocor."),
        ("Ruang kelas rusak", "Kalau hujan kelas anak saya bocor dan plafonnya retak."),
    ]),
    ("sekolah-pungutan", "pendidikan", "Denpasar Utara", "SD Negeri 3 Peguyangan", 37, [
        ("Pungutan seragam SD", "Sekolah mewajibkan beli seragam dan buku di koperasi dengan harga mahal."),
        ("Biaya buku di SDN 3 Peguyangan", "Orang tua murid diminta bayar buku paket padahal dana BOS ada."),
        ("Sekolah minta uang buku", "Anak kami disuruh bayar uang buku dan seragam jutaan rupiah."),
    ]),
    ("anjing-liar", "ketertiban", "Denpasar Timur", "Banjar Kedaton", 40, [
        ("Anjing liar menggigit warga", "Ada anjing liar berkeliaran dan menggigit anak di Banjar Kedaton."),
        ("Banyak anjing liar", "Gerombolan anjing liar di Kedaton mengejar pengendara motor."),
        ("Takut rabies", "Anjing liar menggigit tetangga saya, warga Kedaton takut rabies."),
    ]),
    ("bising-kafe", "ketertiban", "Denpasar Selatan", "Jl. Danau Tamblingan", 42, [
        ("Musik keras kafe malam", "Kafe di Danau Tamblingan memutar musik keras sampai jam tiga pagi."),
        ("Kebisingan di Tamblingan", "Suara musik dari bar mengganggu tidur warga setiap malam."),
        ("Bar berisik sampai subuh", "Bar di Jalan Danau Tamblingan bising, kami tidak bisa tidur."),
    ]),
    ("tamblingan-lubang", "infra", "Denpasar Selatan", "Jl. Danau Tamblingan", 43, [
        ("Jalan berlubang Danau Tamblingan", "Ada lubang di jalan depan hotel, turis jatuh dari sepeda."),
        ("Aspal rusak Jl. Danau Tamblingan", "Jalan berlubang dan retak di jalur pejalan kaki."),
        ("Lubang jalan di Sanur", "Lubang di Jalan Danau Tamblingan makin lebar setelah hujan."),
    ]),
    ("bansos", "sosial", "Denpasar Barat", "Kelurahan Padangsambian", 45, [
        ("Bansos tidak tepat sasaran", "Tetangga yang mampu dapat bantuan sosial, keluarga miskin tidak."),
        ("Data penerima bantuan salah", "Nama kami hilang dari daftar penerima bansos di Padangsambian."),
        ("BLT tidak diterima", "Kami terdaftar DTKS tapi bantuan tunai tidak pernah cair."),
    ]),
    ("lampu-kuta", "infra", "Kuta", "Jl. Sunset Road", 47, [
        ("Lampu jalan Sunset Road mati", "Penerangan jalan di Sunset Road padam, gelap dan rawan."),
        ("PJU Sunset Road tidak menyala", "Lampu jalan umum mati sepanjang satu kilometer."),
        ("Gelap di Sunset Road", "Lampu jalan tidak hidup sejak seminggu, banyak kecelakaan malam."),
    ]),
    # Added for issue 16's object check: a bridge (another object than the road
    # at the same district), the same bridge with another fault, the same fault
    # at another bridge, a blocked drain on the holed road, a leaking roof at the
    # puskesmas of the queue. Written after the concept table, without adding to it.
    ("jembatan-retak", "infra", "Denpasar Barat", "Jembatan Tukad Badung", 12, [
        ("Jembatan Tukad Badung retak", "Jembatan di Tukad Badung retak dan bergoyang saat dilewati truk."),
        ("Retakan di jembatan Tukad Badung", "Ada retakan besar di lantai jembatan, warga takut jembatan ambruk."),
        ("Jembatan Tukad Badung membahayakan", "Beton jembatan pecah-pecah dan besi tulangan kelihatan, mohon diperbaiki sebelum roboh."),
    ]),
    ("jembatan-lampu", "infra", "Denpasar Barat", "Jembatan Tukad Badung", 13, [
        ("Lampu jembatan Tukad Badung mati", "Lampu penerangan di atas jembatan Tukad Badung padam, gelap kalau malam."),
        ("Jembatan gelap", "Tidak ada lampu yang menyala di jembatan Tukad Badung sejak tiga hari."),
        ("PJU jembatan padam", "Penerangan jembatan Tukad Badung mati, pengendara tidak melihat lubang."),
    ]),
    ("jembatan-retak-tohpati", "infra", "Denpasar Timur", "Jembatan Tohpati", 14, [
        ("Jembatan Tohpati retak", "Retakan panjang di jembatan Tohpati makin lebar, truk tetap lewat."),
        ("Kerusakan jembatan di Tohpati", "Jembatan Tohpati rusak, ada retak di sambungan dan aspalnya amblas."),
        ("Jembatan retak Bypass Tohpati", "Warga khawatir jembatan Tohpati ambruk karena retakannya besar."),
    ]),
    ("gatsu-got", "infra", "Denpasar Barat", "Jl. Gatot Subroto Barat", 12, [
        ("Got mampet di Gatot Subroto", "Saluran got di pinggir jalan Gatot Subroto tersumbat sampah, air meluap kalau hujan."),
        ("Genangan di Gatsu Barat", "Drainase tidak berfungsi, jalan tergenang setiap sore hujan."),
        ("Selokan tersumbat Jl. Gatot Subroto Barat", "Selokan penuh lumpur dan sampah, air hujan menggenang di jalan."),
    ]),
    ("pkm-atap", "kesehatan", "Denpasar Selatan", "Puskesmas Sanur II", 17, [
        ("Atap Puskesmas Sanur bocor", "Ruang tunggu Puskesmas Sanur II bocor saat hujan, lantai licin dan pasien terpeleset."),
        ("Plafon puskesmas jebol", "Plafon di ruang periksa Puskesmas Sanur II jebol karena air hujan."),
        ("Bocor di Puskesmas Sanur II", "Air hujan menetes dari atap ke ruang tunggu, ember di mana-mana."),
    ]),
]

LINK_WINDOW_DAYS = 14


def reports() -> list[dict[str, object]]:
    out = []
    for incident, category, district, address, day, told in INCIDENTS:
        for n, (title, body) in enumerate(told):
            out.append({"id": f"{incident}-{n + 1}", "incident": incident, "title": title,
                        "body": body, "category": category, "district": district,
                        "address": address, "day": day + n})
    return out


def pairs(listed: list[dict[str, object]]) -> list[dict[str, object]]:
    """Every pair within an incident (same: 1), and every cross pair that is hard:
    same place, or same category (same problem elsewhere or weeks apart)."""
    out = []
    for a, b in itertools.combinations(listed, 2):
        same = a["incident"] == b["incident"]
        hard = a["address"] == b["address"] or a["category"] == b["category"]
        if same or hard:
            out.append({"a": a["id"], "b": b["id"], "same": int(same)})
    return out


if __name__ == "__main__":
    listed = reports()
    data = {"reports": listed, "pairs": pairs(listed)}
    Path(__file__).with_name("incident_pairs.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
