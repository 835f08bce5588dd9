"""Words for seeded complaints: national categories, Bali places, names, texts."""

from __future__ import annotations

# id, name, and (title, body) pairs; {desa} and {kab} are filled in.
CATEGORIES: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "infrastruktur",
        "Infrastruktur",
        [
            (
                "Jalan rusak dan berlubang di {desa}",
                "Jalan utama di {desa}, {kab} rusak parah dan berlubang sejak musim hujan. "
                "Sudah ada pengendara motor yang jatuh. Mohon segera diperbaiki.",
            ),
            (
                "Lampu penerangan jalan mati",
                "Lampu penerangan jalan umum di {desa} mati sudah dua minggu, jalan gelap "
                "pada malam hari dan rawan kecelakaan.",
            ),
            (
                "Saluran drainase tersumbat",
                "Got di pinggir jalan {desa} tersumbat sampah sehingga air meluap ke rumah warga "
                "setiap hujan deras.",
            ),
        ],
    ),
    (
        "kesehatan",
        "Kesehatan",
        [
            (
                "Antrean puskesmas terlalu lama",
                "Di Puskesmas {desa} pasien harus menunggu lebih dari tiga jam. "
                "Petugas pendaftaran "
                "hanya satu orang. Mohon ditambah petugas.",
            ),
            (
                "Obat di puskesmas sering kosong",
                "Obat untuk penyakit kronis sering kosong di puskesmas {kab}, kami disuruh membeli "
                "sendiri di apotek.",
            ),
        ],
    ),
    (
        "pendidikan",
        "Pendidikan",
        [
            (
                "Pungutan di sekolah negeri",
                "Sekolah dasar negeri di {desa} meminta uang pembangunan kepada orang tua murid. "
                "Apakah pungutan ini dibenarkan?",
            ),
            (
                "Atap ruang kelas bocor",
                "Atap dua ruang kelas SD di {desa} bocor, murid belajar dengan ember di lantai.",
            ),
        ],
    ),
    (
        "adminduk",
        "Administrasi Kependudukan",
        [
            (
                "KTP elektronik belum jadi",
                "Saya merekam KTP-el di Disdukcapil {kab} empat bulan lalu, sampai sekarang belum "
                "dicetak dengan alasan blanko habis.",
            ),
            (
                "Akta kelahiran salah nama",
                "Nama anak saya pada akta kelahiran salah ketik. Bagaimana prosedur perbaikannya?",
            ),
        ],
    ),
    (
        "lingkungan",
        "Lingkungan Hidup dan Kehutanan",
        [
            (
                "Sampah menumpuk di pinggir pantai",
                "Sampah plastik menumpuk di pantai dekat {desa}, {kab}. Tidak ada pengangkutan "
                "sejak sebulan. Wisatawan mengeluh.",
            ),
            (
                "Pembakaran sampah oleh usaha laundry",
                "Usaha di {desa} membakar sampah setiap sore, asapnya masuk ke rumah warga.",
            ),
        ],
    ),
    (
        "trantibum",
        "Ketenteraman, Ketertiban Umum, dan Perlindungan Masyarakat",
        [
            (
                "Parkir liar di depan pasar",
                "Parkir liar di depan pasar {desa} memakan badan jalan dan menimbulkan kemacetan "
                "setiap pagi.",
            ),
            (
                "Suara musik keras hingga larut malam",
                "Sebuah tempat hiburan di {desa} memutar musik keras sampai pukul dua pagi.",
            ),
        ],
    ),
    (
        "perhubungan",
        "Perhubungan",
        [
            (
                "Rambu lalu lintas hilang",
                "Rambu dilarang berhenti di simpang {desa} hilang, banyak kendaraan berhenti "
                "sembarangan.",
            ),
        ],
    ),
    (
        "sosial",
        "Sosial",
        [
            (
                "Bantuan sosial tidak tepat sasaran",
                "Keluarga kami termasuk kurang mampu tetapi tidak terdaftar sebagai "
                "penerima bantuan, "
                "sementara tetangga yang mampu terdaftar.",
            ),
        ],
    ),
    (
        "pariwisata",
        "Pariwisata dan Ekonomi Kreatif",
        [
            (
                "Retribusi objek wisata tidak disertai karcis",
                "Di objek wisata dekat {desa} pengunjung ditarik retribusi tanpa diberi "
                "karcis resmi.",
            ),
        ],
    ),
    (
        "energi",
        "Energi dan Sumber Daya Mineral",
        [
            (
                "Listrik sering padam",
                "Listrik di {desa} padam hampir setiap hari selama beberapa jam tanpa "
                "pemberitahuan.",
            ),
        ],
    ),
    (
        "pertanian",
        "Pertanian dan Peternakan",
        [
            (
                "Pupuk bersubsidi langka",
                "Petani di subak {desa} kesulitan mendapatkan pupuk bersubsidi menjelang "
                "musim tanam.",
            ),
        ],
    ),
    (
        "perizinan",
        "Perizinan dan Penanaman Modal",
        [
            (
                "Pengurusan PBG berbelit",
                "Permohonan persetujuan bangunan gedung saya di {kab} belum selesai "
                "setelah tiga bulan.",
            ),
        ],
    ),
]

ASPIRASI = [
    (
        "Usulan taman bermain anak",
        "Kami warga {desa} mengusulkan agar lahan kosong milik desa dijadikan taman bermain anak.",
    ),
    (
        "Usulan penambahan trayek angkutan",
        "Mohon dipertimbangkan trayek angkutan umum dari {desa} ke pusat kota {kab}.",
    ),
]

INFORMASI = [
    (
        "Jadwal pelayanan perekaman KTP",
        "Mohon informasi jadwal perekaman KTP-el keliling di {desa} bulan ini.",
    ),
    (
        "Syarat pengajuan beasiswa daerah",
        "Apa saja syarat dan jadwal pendaftaran beasiswa daerah {kab} tahun ini?",
    ),
]

# Kabupaten/kota of Bali with a centre (lat, lon) and a few desa/kelurahan.
DISTRICTS: list[tuple[str, float, float, list[str]]] = [
    ("Denpasar", -8.6705, 115.2126, ["Sanur", "Panjer", "Sesetan", "Peguyangan", "Pemecutan"]),
    ("Badung", -8.5819, 115.1771, ["Kuta", "Jimbaran", "Mengwi", "Abiansemal", "Kerobokan"]),
    ("Gianyar", -8.5442, 115.3253, ["Ubud", "Sukawati", "Tegallalang", "Blahbatuh"]),
    ("Tabanan", -8.5375, 115.1245, ["Kediri", "Marga", "Penebel", "Kerambitan"]),
    ("Buleleng", -8.1120, 115.0882, ["Singaraja", "Seririt", "Banjar", "Sawan"]),
    ("Karangasem", -8.4510, 115.6127, ["Amlapura", "Manggis", "Sidemen", "Kubu"]),
    ("Klungkung", -8.5350, 115.4040, ["Semarapura", "Dawan", "Nusa Penida"]),
    ("Bangli", -8.4540, 115.3549, ["Kintamani", "Susut", "Tembuku"]),
    ("Jembrana", -8.3586, 114.6400, ["Negara", "Mendoyo", "Pekutatan", "Melaya"]),
]

FIRST_NAMES = [
    "I Wayan",
    "Ni Wayan",
    "I Made",
    "Ni Made",
    "I Nyoman",
    "Ni Nyoman",
    "I Ketut",
    "Ni Ketut",
    "I Gede",
    "Ni Putu",
    "I Komang",
    "Ni Kadek",
    "Ahmad",
    "Siti",
    "Budi",
    "Dewi",
]
LAST_NAMES = [
    "Sudarsana",
    "Ariani",
    "Wirawan",
    "Suartini",
    "Mahendra",
    "Astuti",
    "Putra",
    "Lestari",
    "Suarjana",
    "Widiastuti",
    "Santoso",
    "Rahmawati",
]

RESPONSES = [
    "Terima kasih atas laporan Saudara. Laporan telah kami teruskan kepada bidang terkait "
    "dan akan ditinjau ke lapangan minggu ini.",
    "Tim kami telah melakukan pengecekan ke lokasi. Perbaikan dijadwalkan dalam anggaran "
    "tahun berjalan.",
    "Mohon Saudara melengkapi data lokasi yang lebih rinci agar dapat kami tindak lanjuti.",
]
CLOSING = [
    "Perbaikan telah selesai dilaksanakan. Terima kasih atas partisipasi Saudara.",
    "Informasi yang diminta telah kami sampaikan. Laporan kami nyatakan selesai.",
]
REPLIES = [
    "Terima kasih, tetapi sampai hari ini belum ada petugas yang datang ke lokasi.",
    "Baik, berikut saya tambahkan foto lokasinya.",
    "Terima kasih atas tanggapannya, kami tunggu tindak lanjutnya.",
]
RATING_COMMENTS = ["Cepat ditangani, terima kasih.", "Cukup baik.", "Terlalu lama.", None]

TEMPLATES = [
    (
        "tpl-terima",
        "Tanda terima laporan",
        "pengaduan",
        "Yth. {nama_pelapor}, laporan Saudara nomor {nomor} tanggal {tanggal} tentang "
        '"{judul}" telah kami terima dan sedang kami tindak lanjuti.',
    ),
    (
        "tpl-selesai",
        "Laporan selesai",
        "pengaduan",
        "Yth. {nama_pelapor}, tindak lanjut atas laporan {nomor} telah selesai dilaksanakan.",
    ),
    (
        "tpl-informasi",
        "Jawaban permintaan informasi",
        "permintaan_informasi",
        "Yth. {nama_pelapor}, menjawab permintaan informasi nomor {nomor}: ...",
    ),
    (
        "tpl-aspirasi",
        "Tanggapan aspirasi",
        "aspirasi",
        'Yth. {nama_pelapor}, aspirasi Saudara tentang "{judul}" akan kami bahas dalam '
        "musyawarah perencanaan.",
    ),
]
