<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="id">
<context>
    <name></name>
    <message>
        <source>%1 Laporan baru</source>
        <translation>%1 new complaints</translation>
    </message>
    <message>
        <source>%1 Laporan segera mencapai Tenggat</source>
        <translation>%1 complaints close to their deadline</translation>
    </message>
    <message>
        <source>%1 Tindak Lanjut dikembalikan Atasan</source>
        <translation>%1 replies returned by the supervisor</translation>
    </message>
    <message>
        <source>%1 Tindak Lanjut terkirim</source>
        <translation>%1 replies sent</translation>
    </message>
    <message>
        <source>%1 Catatan Internal tercatat di server</source>
        <translation>%1 internal notes recorded on the server</translation>
    </message>
    <message>
        <source>%1 permintaan Bukan Wewenang terkirim</source>
        <translation>%1 not-our-authority requests sent</translation>
    </message>
    <message>
        <source>Pintasan papan ketik</source>
        <translation>Keyboard shortcuts</translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <source>Masuk tanpa sambungan (luring). Pekerjaan dikirim saat server terjangkau.</source>
        <translation>Logged in without a connection (offline). Work is sent when the server can be reached.</translation>
    </message>
</context>
<context>
    <name>ApprovalsModel</name>
    <message>
        <source>Laporan</source>
        <translation>Complaint</translation>
    </message>
    <message>
        <source>Judul</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Jenis</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Penulis</source>
        <translation>Author</translation>
    </message>
    <message>
        <source>Diajukan</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <source>Asal</source>
        <translation>From</translation>
    </message>
</context>
<context>
    <name>ApprovalsView</name>
    <message>
        <source>Persetujuan</source>
        <translation>Approval</translation>
    </message>
    <message>
        <source>Setujui</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>Kembalikan</source>
        <translation>Return</translation>
    </message>
    <message>
        <source>%1 Tindak Lanjut menunggu Persetujuan</source>
        <translation>%1 replies waiting for approval</translation>
    </message>
    <message>
        <source>Tidak ada yang menunggu Persetujuan.</source>
        <translation>Nothing is waiting for approval.</translation>
    </message>
    <message>
        <source>Perbaikan kecil boleh langsung di teks; tercatat atas nama Anda.</source>
        <translation>Small corrections may be made right in the text; they are recorded under your name.</translation>
    </message>
    <message>
        <source>Dari antrean kantor: disetujui sebagaimana diajukan.</source>
        <translation>From the office queue: approved as submitted.</translation>
    </message>
    <message>
        <source>Disetujui dengan perbaikan Anda: %1 (%2)</source>
        <translation>Approved with your correction: %1 (%2)</translation>
    </message>
    <message>
        <source>Disetujui: %1 (%2)</source>
        <translation>Approved: %1 (%2)</translation>
    </message>
    <message>
        <source>Dikembalikan ke %2: %1</source>
        <translation>Returned to %2: %1</translation>
    </message>
</context>
<context>
    <name>AttachmentStrip</name>
    <message>
        <source>Lampirkan berkas…</source>
        <translation>Attach a file…</translation>
    </message>
    <message>
        <source>Buka</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Hapus dari Draf</source>
        <translation>Remove from the draft</translation>
    </message>
    <message>
        <source>Atau tarik berkas ke sini. Paling besar 25 MiB: PDF, gambar, dokumen kantor.</source>
        <translation>Or drag files here. At most 25 MiB: PDF, images, office documents.</translation>
    </message>
    <message>
        <source>Lampirkan berkas</source>
        <translation>Attach a file</translation>
    </message>
</context>
<context>
    <name>ComplaintTableModel</name>
    <message>
        <source>Nomor</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>Judul</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Kategori</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>Jenis</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Tenggat</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>Tanda</source>
        <translation>Marks</translation>
    </message>
    <message>
        <source>Tindak Lanjut</source>
        <translation>Reply</translation>
    </message>
    <message>
        <source>Terlambat %1 hari kerja</source>
        <translation>Overdue by %1 working days</translation>
    </message>
    <message>
        <source>Sisa %1 hari kerja</source>
        <translation>%1 working days left</translation>
    </message>
</context>
<context>
    <name>ComplaintView</name>
    <message>
        <source>Pilih laporan di daftar untuk melihat isinya.</source>
        <translation>Choose a complaint in the list to see it.</translation>
    </message>
    <message>
        <source>RAHASIA: laporan ini tidak boleh dibagikan ke luar kantor.</source>
        <translation>CONFIDENTIAL: this complaint must not be shared outside the office.</translation>
    </message>
    <message>
        <source>Laporan ini sudah tidak lagi ditangani kantor Anda.</source>
        <translation>This complaint is no longer handled by your office.</translation>
    </message>
    <message>
        <source>Nomor</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Jenis</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Kategori</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>Tenggat</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>Masuk</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Saluran</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>Pelapor</source>
        <translation>Reporter</translation>
    </message>
    <message>
        <source>Lokasi</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>Isi laporan</source>
        <translation>Complaint text</translation>
    </message>
    <message>
        <source>ditulis oleh %1</source>
        <translation>written by %1</translation>
    </message>
    <message>
        <source>diperbaiki dan disetujui oleh %1</source>
        <translation>corrected and approved by %1</translation>
    </message>
    <message>
        <source>disetujui oleh %1</source>
        <translation>approved by %1</translation>
    </message>
    <message>
        <source>Tindak Lanjut</source>
        <translation>Reply</translation>
    </message>
    <message>
        <source>Selesaikan</source>
        <translation>Complete</translation>
    </message>
    <message>
        <source>Bukan Wewenang</source>
        <translation>Not our authority</translation>
    </message>
    <message>
        <source>Catatan Internal</source>
        <translation>Internal note</translation>
    </message>
    <message>
        <source>Tindak Lanjut di kantor</source>
        <translation>Replies in the office</translation>
    </message>
    <message>
        <source>Riwayat</source>
        <translation>Timeline</translation>
    </message>
    <message>
        <source>Lampiran</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <source>diperbaiki Atasan</source>
        <translation>corrected by the supervisor</translation>
    </message>
    <message>
        <source>catatan Atasan: %1</source>
        <translation>supervisor&apos;s comment: %1</translation>
    </message>
    <message>
        <source>Klik dua kali untuk membuka</source>
        <translation>Double-click to open</translation>
    </message>
    <message>
        <source>siap dibuka</source>
        <translation>ready to open</translation>
    </message>
    <message>
        <source>gagal diunduh, dicoba lagi saat sinkron</source>
        <translation>download failed, tried again at the next sync</translation>
    </message>
    <message>
        <source>diunduh %1%</source>
        <translation>downloaded %1%</translation>
    </message>
    <message>
        <source>diunduh saat sinkron</source>
        <translation>downloaded at the next sync</translation>
    </message>
</context>
<context>
    <name>DecisionDialog</name>
    <message>
        <source>Kata sandi salah. Ketik lagi kata sandi Anda.</source>
        <translation>Wrong password. Type your password again.</translation>
    </message>
    <message>
        <source>Setujui</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>Kembalikan</source>
        <translation>Return</translation>
    </message>
    <message>
        <source>Persetujuan ditandatangani dengan kata sandi Anda.</source>
        <translation>The approval is signed with your password.</translation>
    </message>
    <message>
        <source>Tulis apa yang perlu diperbaiki oleh Petugas, lalu kata sandi Anda.</source>
        <translation>Write what the Officer needs to fix, then your password.</translation>
    </message>
    <message>
        <source>Tulis catatan dulu</source>
        <translation>Write the comment first</translation>
    </message>
    <message>
        <source>Catatan untuk Petugas belum diisi.</source>
        <translation>The comment for the Officer is empty.</translation>
    </message>
    <message>
        <source>Kata sandi belum diisi.</source>
        <translation>The password is empty.</translation>
    </message>
    <message>
        <source>Memeriksa kata sandi…</source>
        <translation>Checking the password…</translation>
    </message>
    <message>
        <source>Catatan</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>Kata sandi</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Batal</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>Demo</name>
    <message>
        <source>Demo</source>
        <translation>Demo</translation>
    </message>
    <message>
        <source>Putuskan jaringan</source>
        <translation>Cut the network</translation>
    </message>
    <message>
        <source>Laporan baru di SP4N-LAPOR!</source>
        <translation>New complaint on SP4N-LAPOR!</translation>
    </message>
    <message>
        <source>Pelapor membalas di SP4N-LAPOR!</source>
        <translation>Reporter replies on SP4N-LAPOR!</translation>
    </message>
</context>
<context>
    <name>DetailsDialog</name>
    <message>
        <source>Tutup</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Salin detail</source>
        <translation>Copy details</translation>
    </message>
    <message>
        <source>Lihat detail</source>
        <translation>Show details</translation>
    </message>
    <message>
        <source>Tersalin</source>
        <translation>Copied</translation>
    </message>
</context>
<context>
    <name>GroupAnswerDialog</name>
    <message>
        <source>Jawab Bersama</source>
        <translation>Answer Together</translation>
    </message>
    <message>
        <source>Teks ini menjadi draf Tindak Lanjut tersendiri di tiap laporan yang dicentang. Nomor, nama pelapor, tanggal dan judul diisi untuk masing-masing; tiap draf disetujui dan dikirim sendiri-sendiri.</source>
        <translation>This text becomes a follow-up draft of its own on each ticked report. The number, reporter&apos;s name, date and title are filled in for each; each draft is approved and sent on its own.</translation>
    </message>
    <message>
        <source>laporan yang dibuka</source>
        <translation>the report that is open</translation>
    </message>
    <message>
        <source>Tulis Tindak Lanjut untuk semua laporan ini…</source>
        <translation>Write the follow-up for all these reports…</translation>
    </message>
    <message>
        <source>Langsung ajukan tiap draf untuk Persetujuan</source>
        <translation>Submit each draft for approval right away</translation>
    </message>
    <message>
        <source>Buat Draf</source>
        <translation>Create Drafts</translation>
    </message>
    <message>
        <source>Batal</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Centang paling sedikit dua laporan.</source>
        <translation>Tick at least two reports.</translation>
    </message>
    <message>
        <source>Tulis teksnya dulu.</source>
        <translation>Write the text first.</translation>
    </message>
    <message>
        <source>Teks harus 1 sampai %1 karakter.</source>
        <translation>The text must be 1 to %1 characters.</translation>
    </message>
</context>
<context>
    <name>InboxView</name>
    <message>
        <source>Cari nomor, judul, isi laporan…</source>
        <translation>Search number, title, complaint text…</translation>
    </message>
    <message>
        <source>Ketik minimal %1 huruf untuk mencari</source>
        <translation>Type at least %1 letters to search</translation>
    </message>
    <message>
        <source>Urutan: kolom</source>
        <translation>Order: column</translation>
    </message>
    <message>
        <source>Urutan: Relevansi</source>
        <translation>Order: Relevance</translation>
    </message>
    <message>
        <source>Relevansi: yang paling cocok dengan pencarian di atas</source>
        <translation>Relevance: the best match for the search above</translation>
    </message>
    <message>
        <source>Serupa</source>
        <translation>Similar</translation>
    </message>
    <message>
        <source>Pengaduan Serupa</source>
        <translation>Similar complaints</translation>
    </message>
    <message>
        <source>Status: semua</source>
        <translation>Status: all</translation>
    </message>
    <message>
        <source>Tenggat: semua</source>
        <translation>Deadline: all</translation>
    </message>
    <message>
        <source>Kategori: semua</source>
        <translation>Category: all</translation>
    </message>
    <message>
        <source>Tindak Lanjut: semua</source>
        <translation>Reply: all</translation>
    </message>
    <message>
        <source>%1 Laporan</source>
        <translation>%1 complaints</translation>
    </message>
    <message>
        <source>Diajukan untuk Persetujuan di %1 laporan: %2</source>
        <translation>Submitted for approval on %1 reports: %2</translation>
    </message>
    <message>
        <source>Draf Tindak Lanjut dibuat di %1 laporan: %2</source>
        <translation>Follow-up drafts created on %1 reports: %2</translation>
    </message>
</context>
<context>
    <name>IncidentSection</name>
    <message>
        <source>Buka laporan ini</source>
        <translation>Open this report</translation>
    </message>
    <message>
        <source>Kejadian sama</source>
        <translation>Same incident</translation>
    </message>
    <message>
        <source>Tautkan kedua laporan; tersimpan sebagai catatan kantor</source>
        <translation>Link both reports; kept as an office note</translation>
    </message>
    <message>
        <source>Bukan</source>
        <translation>Not the same</translation>
    </message>
    <message>
        <source>Bukan kejadian yang sama; tidak disarankan lagi</source>
        <translation>Not the same incident; not suggested again</translation>
    </message>
    <message>
        <source>✓ Dikonfirmasi kejadian sama</source>
        <translation>✓ Confirmed as the same incident</translation>
    </message>
    <message>
        <source>Disarankan: mungkin kejadian sama</source>
        <translation>Suggested: maybe the same incident</translation>
    </message>
    <message>
        <source>Lepas tautan</source>
        <translation>Unlink</translation>
    </message>
    <message>
        <source>Kejadian Sama</source>
        <translation>Same Incident</translation>
    </message>
    <message>
        <source>Jawab Bersama…</source>
        <translation>Answer Together…</translation>
    </message>
    <message>
        <source>Satu teks untuk laporan ini dan laporan yang dikonfirmasi sama; tiap laporan mendapat drafnya sendiri</source>
        <translation>One text for this report and the reports confirmed as the same; each report gets its own draft</translation>
    </message>
    <message>
        <source>Tidak ada laporan lain tentang kejadian ini.</source>
        <translation>No other reports of this incident.</translation>
    </message>
    <message>
        <source>Ditautkan sebagai kejadian sama; terkirim saat sinkronisasi.</source>
        <translation>Linked as the same incident; sent with the next sync.</translation>
    </message>
    <message>
        <source>Tautan dilepas; tidak disarankan lagi.</source>
        <translation>Unlinked; not suggested again.</translation>
    </message>
</context>
<context>
    <name>KpiTableModel</name>
    <message>
        <source>Diterima</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Ditindaklanjuti</source>
        <translation>Followed up</translation>
    </message>
    <message>
        <source>Tepat waktu</source>
        <translation>On time</translation>
    </message>
    <message>
        <source>Selesai</source>
        <translation>Completed</translation>
    </message>
    <message>
        <source>Rata-rata ke tindak lanjut</source>
        <translation>Average to reply</translation>
    </message>
    <message>
        <source>Kategori</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>Petugas</source>
        <translation>Officer</translation>
    </message>
</context>
<context>
    <name>LetterMenu</name>
    <message>
        <source>Cetak</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>Simpan sebagai PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <source>Cetak ke printer…</source>
        <translation>Print to a printer…</translation>
    </message>
    <message>
        <source>Tulis Tindak Lanjut dulu; surat dicetak dari teks yang tersimpan.</source>
        <translation>Write the reply first; the letter is printed from the saved text.</translation>
    </message>
    <message>
        <source>Simpan sebagai PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <source>Tidak ada printer</source>
        <translation>No printer</translation>
    </message>
    <message>
        <source>Komputer ini tidak punya printer yang terpasang.</source>
        <translation>This computer has no printer installed.</translation>
    </message>
    <message>
        <source>Simpan surat sebagai PDF, lalu cetak dari komputer yang punya printer.</source>
        <translation>Save the letter as a PDF, then print it from a computer that has a printer.</translation>
    </message>
    <message>
        <source>Tutup</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>LoginView</name>
    <message>
        <source>LAPOR Desk</source>
        <translation>LAPOR Desk</translation>
    </message>
    <message>
        <source>Tindak lanjut laporan SP4N-LAPOR! untuk kantor Anda</source>
        <translation>Follow up your office&apos;s SP4N-LAPOR! complaints</translation>
    </message>
    <message>
        <source>Pengguna di komputer ini:</source>
        <translation>Users on this computer:</translation>
    </message>
    <message>
        <source>Alamat server</source>
        <translation>Server address</translation>
    </message>
    <message>
        <source>Nama pengguna</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>Kata sandi</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Ubah server</source>
        <translation>Change server</translation>
    </message>
    <message>
        <source>%1 / %2 · %3</source>
        <translation>%1 / %2 · %3</translation>
    </message>
    <message>
        <source>Jaringan demo terputus</source>
        <translation>Demo network cut</translation>
    </message>
    <message>
        <source>Sama dengan menu Demo › Putuskan jaringan</source>
        <translation>The same as Demo › Cut the network</translation>
    </message>
    <message>
        <source>Masuk</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>Mode demo: server contoh berjalan di komputer ini.</source>
        <translation>Demo mode: a sample server runs on this computer.</translation>
    </message>
    <message>
        <source>Isi nama pengguna dan kata sandi.</source>
        <translation>Enter your username and password.</translation>
    </message>
    <message>
        <source>Sedang masuk…</source>
        <translation>Logging in…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Laporan</source>
        <translation>Complaints</translation>
    </message>
    <message>
        <source>Kotak Keluar</source>
        <translation>Outbox</translation>
    </message>
    <message>
        <source>Persetujuan</source>
        <translation>Approval</translation>
    </message>
    <message>
        <source>Kinerja</source>
        <translation>Performance</translation>
    </message>
    <message>
        <source>Pengaturan</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>LAPOR Desk</source>
        <translation>LAPOR Desk</translation>
    </message>
    <message>
        <source>Sinkronkan sekarang</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>Ganti pengguna</source>
        <translation>Switch user</translation>
    </message>
    <message>
        <source>Keluar</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>&amp;Berkas</source>
        <translation>&amp;File</translation>
    </message>
</context>
<context>
    <name>OutboxModel</name>
    <message>
        <source>Jenis</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Laporan</source>
        <translation>Complaint</translation>
    </message>
    <message>
        <source>Keadaan</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Dibuat</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>Percobaan</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <source>Keterangan</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>OutboxView</name>
    <message>
        <source>Kotak Keluar</source>
        <translation>Outbox</translation>
    </message>
    <message>
        <source>Coba lagi</source>
        <translation>Retry</translation>
    </message>
    <message>
        <source>Buka laporan</source>
        <translation>Open complaint</translation>
    </message>
    <message>
        <source>Tidak ada yang menunggu dikirim.</source>
        <translation>Nothing is waiting to be sent.</translation>
    </message>
    <message>
        <source>%1 menunggu dikirim</source>
        <translation>%1 waiting to be sent</translation>
    </message>
    <message>
        <source>yang tertua sudah %1</source>
        <translation>the oldest for %1</translation>
    </message>
    <message>
        <source>%1 perlu diperiksa</source>
        <translation>%1 need checking</translation>
    </message>
</context>
<context>
    <name>PerformanceView</name>
    <message>
        <source>Bulan</source>
        <translation>Month</translation>
    </message>
    <message>
        <source>Semester</source>
        <translation>Half-year</translation>
    </message>
    <message>
        <source>Tahun</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>Ekspor CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <source>Ekspor PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <source>Periode</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>Laporan diterima</source>
        <translation>Complaints received</translation>
    </message>
    <message>
        <source>Ditindaklanjuti</source>
        <translation>Followed up</translation>
    </message>
    <message>
        <source>Tindak lanjut ≤ 5 hari kerja</source>
        <translation>Replied within 5 working days</translation>
    </message>
    <message>
        <source>Selesai</source>
        <translation>Completed</translation>
    </message>
    <message>
        <source>Rata-rata waktu tindak lanjut</source>
        <translation>Average time to reply</translation>
    </message>
    <message>
        <source>(belum ditindaklanjuti)</source>
        <translation>(not replied yet)</translation>
    </message>
    <message>
        <source>Kinerja</source>
        <translation>Performance</translation>
    </message>
    <message>
        <source>Januari–Juni</source>
        <translation>January–June</translation>
    </message>
    <message>
        <source>Juli–Desember</source>
        <translation>July–December</translation>
    </message>
    <message>
        <source>Menghitung…</source>
        <translation>Calculating…</translation>
    </message>
    <message>
        <source>Periode sebelumnya: tidak ada data pembanding.</source>
        <translation>Previous period: nothing to compare with.</translation>
    </message>
    <message>
        <source>Dibanding periode sebelumnya: laporan diterima %1</source>
        <translation>Against the previous period: complaints received %1</translation>
    </message>
    <message>
        <source>Kinerja tidak dapat dihitung.</source>
        <translation>Performance could not be calculated.</translation>
    </message>
    <message>
        <source>Laporan menurut status</source>
        <translation>Complaints by status</translation>
    </message>
    <message>
        <source>Laporan diterima menurut kategori</source>
        <translation>Complaints received by category</translation>
    </message>
    <message>
        <source>Diterima</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Tindak lanjut tepat waktu (%)</source>
        <translation>Replies on time (%)</translation>
    </message>
    <message>
        <source>Kelompok</source>
        <translation>Group</translation>
    </message>
    <message>
        <source>Nama</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Ditindaklanjuti (%)</source>
        <translation>Followed up (%)</translation>
    </message>
    <message>
        <source>Tepat waktu (%)</source>
        <translation>On time (%)</translation>
    </message>
    <message>
        <source>Selesai (%)</source>
        <translation>Completed (%)</translation>
    </message>
    <message>
        <source>Rata-rata hari kerja ke tindak lanjut</source>
        <translation>Average working days to reply</translation>
    </message>
    <message>
        <source>Kantor</source>
        <translation>Office</translation>
    </message>
    <message>
        <source>Kategori</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>Petugas</source>
        <translation>Officer</translation>
    </message>
</context>
<context>
    <name>ReplyEditor</name>
    <message>
        <source>RAHASIA: jangan menyebut identitas atau isi laporan di luar kantor.</source>
        <translation>CONFIDENTIAL: do not mention the identity or the complaint outside the office.</translation>
    </message>
    <message>
        <source>Instansi yang berwenang: pilih dari daftar atau ketik (boleh kosong)</source>
        <translation>The agency in charge: pick from the list or type it (may be empty)</translation>
    </message>
    <message>
        <source>Simpan Draf</source>
        <translation>Save draft</translation>
    </message>
    <message>
        <source>Kembali</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>Ajukan Persetujuan</source>
        <translation>Submit for approval</translation>
    </message>
    <message>
        <source>Ajukan ke antrean kantor</source>
        <translation>Submit to the office queue</translation>
    </message>
    <message>
        <source>Untuk Atasan yang memakai komputer lain: terkirim saat sinkron.</source>
        <translation>For a supervisor at another computer: sent at the next sync.</translation>
    </message>
    <message>
        <source>Batalkan Pengajuan</source>
        <translation>Withdraw submission</translation>
    </message>
    <message>
        <source>Memuat…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>Simpan ke Kotak Keluar</source>
        <translation>Save to the outbox</translation>
    </message>
    <message>
        <source>Keadaan: %1</source>
        <translation>State: %1</translation>
    </message>
    <message>
        <source>Draf baru</source>
        <translation>New draft</translation>
    </message>
    <message>
        <source>Dikembalikan oleh Atasan: %1</source>
        <translation>Returned by the supervisor: %1</translation>
    </message>
    <message>
        <source>laporan berubah di server</source>
        <translation>the complaint changed on the server</translation>
    </message>
    <message>
        <source>Konflik: %1. Periksa lalu ajukan lagi.</source>
        <translation>Conflict: %1. Check it and submit again.</translation>
    </message>
    <message>
        <source>Ditolak SP4N-LAPOR!: %1. Perbaiki lalu ajukan lagi.</source>
        <translation>Refused by SP4N-LAPOR!: %1. Correct it and submit again.</translation>
    </message>
    <message>
        <source>Ditolak server: %1</source>
        <translation>Refused by the server: %1</translation>
    </message>
    <message>
        <source>Lampiran hanya untuk Tindak Lanjut kepada Pelapor.</source>
        <translation>Attachments go only with a reply to the reporter.</translation>
    </message>
    <message>
        <source>Lampiran hanya bisa diubah selagi Draf.</source>
        <translation>Attachments can be changed only while it is a draft.</translation>
    </message>
    <message>
        <source>Tulis Tindak Lanjut dulu, lalu lampirkan berkas.</source>
        <translation>Write the reply first, then attach files.</translation>
    </message>
    <message>
        <source>Lampiran dihapus dari Draf.</source>
        <translation>Attachment removed from the draft.</translation>
    </message>
    <message>
        <source>Mengunggah %1…</source>
        <translation>Uploading %1…</translation>
    </message>
    <message>
        <source>Terlampir: %1</source>
        <translation>Attached: %1</translation>
    </message>
    <message>
        <source>Sisipkan Templat…</source>
        <translation>Insert template…</translation>
    </message>
    <message>
        <source>%1 / %2 karakter</source>
        <translation>%1 / %2 characters</translation>
    </message>
    <message>
        <source>Belum tersimpan</source>
        <translation>Not saved yet</translation>
    </message>
    <message>
        <source>Tersimpan %1</source>
        <translation>Saved %1</translation>
    </message>
    <message>
        <source>Tidak ada yang perlu disimpan.</source>
        <translation>Nothing to save.</translation>
    </message>
    <message>
        <source>Teks harus 1 sampai %1 karakter.</source>
        <translation>The text must be 1 to %1 characters.</translation>
    </message>
    <message>
        <source>Catatan Internal disimpan ke Kotak Keluar: %1</source>
        <translation>Internal note saved to the outbox: %1</translation>
    </message>
    <message>
        <source>Diajukan ke antrean kantor: %1</source>
        <translation>Submitted to the office queue: %1</translation>
    </message>
    <message>
        <source>Diajukan untuk Persetujuan: %1. Bisa dibatalkan sampai Atasan memutuskan.</source>
        <translation>Submitted for approval: %1. It can be withdrawn until the supervisor decides.</translation>
    </message>
    <message>
        <source>Pengajuan dibatalkan: %1 kembali menjadi Draf.</source>
        <translation>Submission withdrawn: %1 is a draft again.</translation>
    </message>
</context>
<context>
    <name>ReportSplit</name>
    <message>
        <source>Sembunyikan laporan</source>
        <translation>Hide complaint</translation>
    </message>
    <message>
        <source>Tampilkan laporan</source>
        <translation>Show complaint</translation>
    </message>
</context>
<context>
    <name>SettingsForm</name>
    <message>
        <source>Pengaturan</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Alamat server</source>
        <translation>Server address</translation>
    </message>
    <message>
        <source>kosong: ikuti pengaturan sistem</source>
        <translation>empty: use the system&apos;s setting</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>Proxy</translation>
    </message>
    <message>
        <source>kosong: sertifikat sistem</source>
        <translation>empty: the system&apos;s certificates</translation>
    </message>
    <message>
        <source>Pilih…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Berkas CA</source>
        <translation>CA bundle</translation>
    </message>
    <message>
        <source> menit</source>
        <translation> minutes</translation>
    </message>
    <message>
        <source>Sinkronkan setiap</source>
        <translation>Sync every</translation>
    </message>
    <message>
        <source>Nama kantor
Alamat, telepon, surel</source>
        <translation>Office name
Address, telephone, e-mail</translation>
    </message>
    <message>
        <source>Kop surat</source>
        <translation>Letterhead</translation>
    </message>
    <message>
        <source>Bahasa</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Tambah</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>Hapus</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Hari libur kantor</source>
        <translation>Office holidays</translation>
    </message>
    <message>
        <source>Simpan</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Pilih berkas CA</source>
        <translation>Choose a CA bundle</translation>
    </message>
    <message>
        <source>Sertifikat (*.pem *.crt);;Semua (*)</source>
        <translation>Certificates (*.pem *.crt);;All (*)</translation>
    </message>
    <message>
        <source>Hari libur kantor tidak dapat disimpan.</source>
        <translation>The office holidays could not be saved.</translation>
    </message>
    <message>
        <source>Hari libur kantor dipakai untuk Tenggat setelah aplikasi dibuka ulang.</source>
        <translation>Deadlines count the office holidays after the app is restarted.</translation>
    </message>
    <message>
        <source>Bahasa baru berlaku setelah aplikasi dibuka ulang.</source>
        <translation>The new language applies after the app is restarted.</translation>
    </message>
    <message>
        <source>Tersimpan.</source>
        <translation>Saved.</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Simpan Draf</source>
        <translation>Save draft</translation>
    </message>
    <message>
        <source>Tindak Lanjut</source>
        <translation>Reply</translation>
    </message>
    <message>
        <source>Ajukan Persetujuan (Catatan: ke Kotak Keluar)</source>
        <translation>Submit for approval (a note: to the outbox)</translation>
    </message>
    <message>
        <source>Ajukan ke antrean kantor</source>
        <translation>Submit to the office queue</translation>
    </message>
    <message>
        <source>Batalkan Pengajuan</source>
        <translation>Withdraw submission</translation>
    </message>
    <message>
        <source>Lampirkan berkas</source>
        <translation>Attach a file</translation>
    </message>
    <message>
        <source>Cetak</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>Kembali ke laporan</source>
        <translation>Back to the complaint</translation>
    </message>
    <message>
        <source>Tulis Tindak Lanjut</source>
        <translation>Write a reply</translation>
    </message>
    <message>
        <source>Laporan</source>
        <translation>Complaints</translation>
    </message>
    <message>
        <source>Selesaikan</source>
        <translation>Complete</translation>
    </message>
    <message>
        <source>Bukan Wewenang</source>
        <translation>Not our authority</translation>
    </message>
    <message>
        <source>Catatan Internal</source>
        <translation>Internal note</translation>
    </message>
    <message>
        <source>Tampilkan atau sembunyikan Pengaduan Serupa</source>
        <translation>Show or hide Similar complaints</translation>
    </message>
    <message>
        <source>Setujui</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>Persetujuan</source>
        <translation>Approval</translation>
    </message>
    <message>
        <source>Kembalikan</source>
        <translation>Return</translation>
    </message>
    <message>
        <source>Sinkronkan sekarang</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>Semua layar</source>
        <translation>Every screen</translation>
    </message>
    <message>
        <source>Ganti pengguna</source>
        <translation>Switch user</translation>
    </message>
    <message>
        <source>Keluar</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>Pintasan papan ketik</source>
        <translation>Keyboard shortcuts</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Tombol</source>
        <translation>Key</translation>
    </message>
    <message>
        <source>Fungsi</source>
        <translation>Does</translation>
    </message>
    <message>
        <source>Layar</source>
        <translation>Screen</translation>
    </message>
    <message>
        <source>Tutup</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>&amp;Bantuan</source>
        <translation>&amp;Help</translation>
    </message>
</context>
<context>
    <name>SimilarPanel</name>
    <message>
        <source>Belum dibalas</source>
        <translation>Not answered yet</translation>
    </message>
    <message>
        <source>Sudah dibalas, belum ada tanggapan</source>
        <translation>Answered, no word from the reporter since</translation>
    </message>
    <message>
        <source>Pelapor membalas lagi</source>
        <translation>The reporter wrote again</translation>
    </message>
    <message>
        <source>Selesai</source>
        <translation>Completed</translation>
    </message>
    <message>
        <source>Selesai, pelapor puas</source>
        <translation>Completed, reporter satisfied</translation>
    </message>
    <message>
        <source>Pakai balasan ini</source>
        <translation>Use this reply</translation>
    </message>
    <message>
        <source>Teks yang sudah Anda ketik akan diganti dengan balasan ini. Ganti?</source>
        <translation>The text you have typed will be replaced by this reply. Replace it?</translation>
    </message>
    <message>
        <source>Ganti</source>
        <translation>Replace</translation>
    </message>
    <message>
        <source>Batal</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Mulai draf dari balasan ini, diisi untuk laporan yang dibuka</source>
        <translation>Start the draft from this reply, filled in for the complaint that is open</translation>
    </message>
    <message>
        <source>Belum ada balasan terkirim.</source>
        <translation>No reply sent yet.</translation>
    </message>
    <message>
        <source>Ringkas</source>
        <translation>Less</translation>
    </message>
    <message>
        <source>Selengkapnya</source>
        <translation>More</translation>
    </message>
    <message>
        <source>Pengaduan Serupa</source>
        <translation>Similar complaints</translation>
    </message>
    <message>
        <source>Laporan kantor ini yang mirip, dengan balasannya.</source>
        <translation>This office&apos;s complaints like this one, with their replies.</translation>
    </message>
    <message>
        <source>Pilih laporan untuk melihat pengaduan serupa.</source>
        <translation>Choose a complaint to see similar ones.</translation>
    </message>
    <message>
        <source>Memuat…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>Belum ada pengaduan serupa.</source>
        <translation>No similar complaints yet.</translation>
    </message>
    <message>
        <source>Pengaduan serupa tidak dapat dibaca.</source>
        <translation>Similar complaints could not be read.</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <source>Sinkronkan sekarang</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>Sinkronkan sekarang (F5)</source>
        <translation>Sync now (F5)</translation>
    </message>
    <message>
        <source>Menyinkronkan…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>Server belum menjawab; mencoba lagi…</source>
        <translation>The server has not answered yet; trying again…</translation>
    </message>
    <message>
        <source>● Daring</source>
        <translation>● Online</translation>
    </message>
    <message>
        <source>○ Luring · terakhir tersambung %1</source>
        <translation>○ Offline · last in touch %1</translation>
    </message>
    <message>
        <source>○ Luring</source>
        <translation>○ Offline</translation>
    </message>
    <message>
        <source>Server tidak terjangkau; dicoba lagi pukul %1.</source>
        <translation>Server unreachable; trying again at %1.</translation>
    </message>
    <message>
        <source>Server sibuk; dicoba lagi pukul %1.</source>
        <translation>Server busy; trying again at %1.</translation>
    </message>
    <message>
        <source>Sinkron berhenti: masuk lagi dengan kata sandi.</source>
        <translation>Sync stopped: log in again with your password.</translation>
    </message>
    <message>
        <source>Masuk lagi</source>
        <translation>Log in again</translation>
    </message>
    <message>
        <source>Sinkron ditahan: server akan menghapus %1 dari %2 Laporan.</source>
        <translation>Sync on hold: the server would remove %1 of %2 complaints.</translation>
    </message>
    <message>
        <source>Tinjau…</source>
        <translation>Review…</translation>
    </message>
    <message>
        <source>Server menolak sinkron.</source>
        <translation>The server refused the sync.</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Sinkron gagal.</source>
        <translation>Sync failed.</translation>
    </message>
    <message>
        <source>Sinkronisasi</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>Hapus banyak Laporan?</source>
        <translation>Remove many complaints?</translation>
    </message>
    <message>
        <source>Server tidak lagi mengirim %1 dari %2 Laporan di komputer ini.</source>
        <translation>The server no longer sends %1 of the %2 complaints on this computer.</translation>
    </message>
    <message>
        <source>Biasanya ini berarti Laporan dipindahkan ke instansi lain. Bila Anda setuju, Laporan itu dihapus dari komputer ini; Draf dan pekerjaan yang belum terkirim tetap disimpan. Bila ragu, tanyakan pengelola server dulu.</source>
        <translation>Usually this means the complaints were moved to another agency. If you agree, they are removed from this computer; drafts and work not yet sent are kept. If in doubt, ask the server&apos;s administrator first.</translation>
    </message>
    <message>
        <source>Hapus %1 Laporan</source>
        <translation>Remove %1 complaints</translation>
    </message>
    <message>
        <source>Jangan hapus</source>
        <translation>Do not remove</translation>
    </message>
    <message>
        <source>Jam komputer selisih %1</source>
        <translation>PC clock off by %1</translation>
    </message>
    <message>
        <source>Jam komputer ini berbeda dengan jam server. Tenggat dan waktu memakai jam server. Minta pengelola TI membetulkan jam komputer ini.</source>
        <translation>This computer&apos;s clock differs from the server&apos;s. Deadlines and times use the server&apos;s clock. Ask IT to correct this computer&apos;s clock.</translation>
    </message>
    <message>
        <source>belum pernah</source>
        <translation>never</translation>
    </message>
    <message>
        <source>Sinkron terakhir: %1</source>
        <translation>Last synced: %1</translation>
    </message>
    <message>
        <source>Menunggu dikirim: %1</source>
        <translation>Waiting to be sent: %1</translation>
    </message>
</context>
<context>
    <name>UnreadableBanner</name>
    <message>
        <source>Lihat alasannya</source>
        <translation>See why</translation>
    </message>
    <message>
        <source>%1 laporan dari server tidak dapat dibaca dan belum tampil di daftar. Setiap sinkronisasi memintanya lagi.</source>
        <translation>%1 complaint(s) from the server could not be read and are not in the list yet. Each sync asks for them again.</translation>
    </message>
</context>
<context>
    <name>UnreadableDialog</name>
    <message>
        <source>Laporan yang tidak dapat dibaca</source>
        <translation>Complaints that could not be read</translation>
    </message>
    <message>
        <source>Server mengirim laporan ini dalam bentuk yang tidak dapat dibaca LAPOR Desk. Laporan itu diminta lagi otomatis sampai terbaca. Bila tetap gagal, sampaikan nomor dan alasannya kepada admin LAPOR! (Salin detail).</source>
        <translation>The server sent these complaints in a form LAPOR Desk cannot read. They are asked for again automatically until they can be read. If they keep failing, give their numbers and reasons to the LAPOR! admin (Copy details).</translation>
    </message>
    <message>
        <source>Nomor</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>Sejak</source>
        <translation>Since</translation>
    </message>
    <message>
        <source>Dicoba lagi</source>
        <translation>Tried again</translation>
    </message>
    <message>
        <source>Berikutnya</source>
        <translation>Next try</translation>
    </message>
    <message>
        <source>Alasan</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Tutup</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Salin detail</source>
        <translation>Copy details</translation>
    </message>
    <message>
        <source>sinkronisasi berikutnya</source>
        <translation>at the next sync</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>Data yang dicari tidak ada lagi. Mungkin sudah dipindahkan.</source>
        <translation>What you looked for is no longer there. It may have been moved.</translation>
    </message>
    <message>
        <source>Langkah ini tidak bisa dilakukan pada keadaan sekarang.</source>
        <translation>This step is not possible right now.</translation>
    </message>
    <message>
        <source>Anda tidak berwenang melakukan langkah ini.</source>
        <translation>You may not take this step.</translation>
    </message>
    <message>
        <source>Nama pengguna atau kata sandi salah.</source>
        <translation>Wrong username or password.</translation>
    </message>
    <message>
        <source>Akun dikunci sementara karena terlalu banyak percobaan masuk. Coba lagi nanti.</source>
        <translation>The account is locked for a while after too many login attempts. Try again later.</translation>
    </message>
    <message>
        <source>Silakan masuk terlebih dahulu.</source>
        <translation>Please log in first.</translation>
    </message>
    <message>
        <source>Isian belum lengkap atau tidak sesuai. Periksa kembali.</source>
        <translation>Something is missing or not right. Please check.</translation>
    </message>
    <message>
        <source>Profil ini terkunci. Masuk sekali dengan kata sandi Anda untuk membukanya.</source>
        <translation>This profile is locked. Log in once with your password to open it.</translation>
    </message>
    <message>
        <source>Kunci profil tidak cocok. Masuk dengan kata sandi Anda.</source>
        <translation>The profile key does not match. Log in with your password.</translation>
    </message>
    <message>
        <source>Dihentikan sebelum selesai. Tidak ada yang berubah.</source>
        <translation>Stopped before it finished. Nothing changed.</translation>
    </message>
    <message>
        <source>Berkas aturan tenggat kantor tidak dapat dipakai. Hubungi pengelola aplikasi.</source>
        <translation>The office&apos;s deadline rules file cannot be used. Contact the application&apos;s administrator.</translation>
    </message>
    <message>
        <source>Tidak ada sambungan ke server. Pekerjaan Anda tersimpan di komputer ini.</source>
        <translation>No connection to the server. Your work is saved on this computer.</translation>
    </message>
    <message>
        <source>Masuk lagi dengan kata sandi selagi tersambung ke server. Pekerjaan Anda tetap tersimpan.</source>
        <translation>Log in again with your password while connected to the server. Your work stays saved.</translation>
    </message>
    <message>
        <source>Jawaban server tidak dapat dipakai. Pekerjaan Anda tetap tersimpan; hubungi pengelola server bila berulang.</source>
        <translation>The server&apos;s answer cannot be used. Your work stays saved; contact the server&apos;s administrator if it happens again.</translation>
    </message>
    <message>
        <source>Server akan menghapus sebagian besar laporan kantor dari komputer ini. Tidak ada yang dihapus sebelum Anda setuju.</source>
        <translation>The server would remove most of the office&apos;s complaints from this computer. Nothing is removed until you agree.</translation>
    </message>
    <message>
        <source>Salinan di komputer ini berbeda dari server; laporan diambil ulang.</source>
        <translation>The copy on this computer differs from the server&apos;s; the complaints are fetched again.</translation>
    </message>
    <message>
        <source>Server menolak permintaan ini. Salin detail untuk pengelola server.</source>
        <translation>The server refused this request. Copy the details for the server&apos;s administrator.</translation>
    </message>
    <message>
        <source>Sesi Anda berakhir. Silakan masuk lagi.</source>
        <translation>Your session has ended. Please log in again.</translation>
    </message>
    <message>
        <source>Server meminta semua laporan diambil ulang dari awal.</source>
        <translation>The server asked for all complaints to be fetched again from the start.</translation>
    </message>
    <message>
        <source>Persetujuan ditolak server: tanda tangan tidak sah.</source>
        <translation>The server refused the approval: the signature is not valid.</translation>
    </message>
    <message>
        <source>Unggahan berkas terputus; dilanjutkan pada sinkronisasi berikutnya.</source>
        <translation>The file upload was interrupted; it continues at the next sync.</translation>
    </message>
    <message>
        <source>Berkas rusak dalam perjalanan; diunggah ulang dari awal.</source>
        <translation>The file was damaged on the way; it is uploaded again from the start.</translation>
    </message>
    <message>
        <source>Berkas terlalu besar (paling besar 25 MiB).</source>
        <translation>The file is too large (25 MiB at most).</translation>
    </message>
    <message>
        <source>Jenis berkas ini tidak diterima.</source>
        <translation>This type of file is not accepted.</translation>
    </message>
    <message>
        <source>Server sedang sibuk. Aplikasi akan mencoba lagi sebentar lagi.</source>
        <translation>The server is busy. The app will try again shortly.</translation>
    </message>
    <message>
        <source>Server tidak dapat dihubungi, dan masuk pertama kali di komputer ini perlu server. Sambungkan komputer ke jaringan kantor, lalu masuk lagi; sesudah itu Anda dapat masuk di sini tanpa jaringan.</source>
        <translation>The server cannot be reached, and a first login on this computer needs it. Connect the computer to the office network, then log in again; after that you can log in here without a network.</translation>
    </message>
    <message>
        <source>Di mode demo: hilangkan centang “Jaringan demo terputus” di bawah.</source>
        <translation>In demo mode: untick “Demo network cut” below.</translation>
    </message>
    <message>
        <source>Akun dikunci karena terlalu banyak percobaan masuk, sampai pukul %1. Tanyakan Atasan bila Anda lupa kata sandi.</source>
        <translation>The account is locked after too many login attempts, until %1. Ask your supervisor if you forgot your password.</translation>
    </message>
    <message>
        <source>Tersisa %1 percobaan sebelum akun dikunci sementara.</source>
        <translation>%1 tries left before the account is locked for a while.</translation>
    </message>
    <message>
        <source>Berkas tidak dapat dibaca.</source>
        <translation>The file cannot be read.</translation>
    </message>
    <message>
        <source>Kunci tanda tangan perangkat ini berbeda dari yang dikenal server. Masuk lagi selagi tersambung.</source>
        <translation>This device&apos;s signing key differs from the one the server knows. Log in again while connected.</translation>
    </message>
    <message>
        <source>Unduhan berkas tidak cocok dengan server; diunduh ulang dari awal.</source>
        <translation>The file download does not match the server; it is downloaded again from the start.</translation>
    </message>
    <message>
        <source>Server tidak mengenal permintaan ini. Mungkin versi server berbeda; hubungi pengelola server.</source>
        <translation>The server does not know this request. Its version may differ; contact the server&apos;s administrator.</translation>
    </message>
    <message>
        <source>Laporan berubah di server sejak Draf dibuat. Periksa perubahannya.</source>
        <translation>The complaint changed on the server since the draft was written. Check what changed.</translation>
    </message>
    <message>
        <source>Server sedang bermasalah. Aplikasi akan mencoba lagi nanti.</source>
        <translation>The server is having trouble. The application will try again later.</translation>
    </message>
    <message>
        <source>Server sedang tidak tersedia. Aplikasi akan mencoba lagi nanti.</source>
        <translation>The server is unavailable right now. The application will try again later.</translation>
    </message>
    <message>
        <source>Terjadi kesalahan. Pekerjaan Anda tetap tersimpan di komputer ini.</source>
        <translation>Something went wrong. Your work is still saved on this computer.</translation>
    </message>
    <message>
        <source>Berkas atau folder tidak dapat dibaca atau ditulis.</source>
        <translation>A file or folder could not be read or written.</translation>
    </message>
    <message>
        <source>Perhatian</source>
        <translation>Attention</translation>
    </message>
    <message>
        <source>Terjadi kesalahan</source>
        <translation>Something went wrong</translation>
    </message>
    <message>
        <source>Terjadi kesalahan yang tidak terduga. Kejadian ini sudah dicatat di berkas log. Aplikasi tetap berjalan dan pekerjaan Anda tersimpan.</source>
        <translation>An unexpected error happened. It has been written to the log file. The app keeps running and your work is saved.</translation>
    </message>
</context>
<context>
    <name>letter</name>
    <message>
        <source>Kantor Pengelola Pengaduan</source>
        <translation>Complaint handling office</translation>
    </message>
    <message>
        <source>RAHASIA</source>
        <translation>CONFIDENTIAL</translation>
    </message>
    <message>
        <source>DRAF: belum disetujui</source>
        <translation>DRAFT: not approved</translation>
    </message>
    <message>
        <source>Pelapor (Anonim)</source>
        <translation>Reporter (anonymous)</translation>
    </message>
    <message>
        <source>Nomor laporan</source>
        <translation>Complaint number</translation>
    </message>
    <message>
        <source>Tanggal</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Kepada Yth.</source>
        <translation>To</translation>
    </message>
    <message>
        <source>Perihal</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>Pejabat Penghubung</source>
        <translation>Liaison official</translation>
    </message>
</context>
<context>
    <name>words</name>
    <message>
        <source>Terverifikasi</source>
        <translation>Verified</translation>
    </message>
    <message>
        <source>Dalam Proses</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>Selesai</source>
        <translation>Completed</translation>
    </message>
    <message>
        <source>Diarsipkan</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>Pengaduan</source>
        <translation>Complaint</translation>
    </message>
    <message>
        <source>Aspirasi</source>
        <translation>Aspiration</translation>
    </message>
    <message>
        <source>Permintaan Informasi</source>
        <translation>Information request</translation>
    </message>
    <message>
        <source>Belum ada</source>
        <translation>None yet</translation>
    </message>
    <message>
        <source>Draf</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>Menunggu Persetujuan</source>
        <translation>Waiting for approval</translation>
    </message>
    <message>
        <source>Disetujui</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>Di Kotak Keluar</source>
        <translation>In the outbox</translation>
    </message>
    <message>
        <source>Terkirim</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>Dikembalikan</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>Konflik</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <source>Ditolak server</source>
        <translation>Refused by the server</translation>
    </message>
    <message>
        <source>Disetujui, menunggu SP4N-LAPOR!</source>
        <translation>Approved, waiting for SP4N-LAPOR!</translation>
    </message>
    <message>
        <source>Terkirim ke SP4N-LAPOR!</source>
        <translation>Delivered to SP4N-LAPOR!</translation>
    </message>
    <message>
        <source>Ditolak SP4N-LAPOR!</source>
        <translation>Refused by SP4N-LAPOR!</translation>
    </message>
    <message>
        <source>Catatan Internal tercatat</source>
        <translation>Internal note recorded</translation>
    </message>
    <message>
        <source>Catatan Internal: %1</source>
        <translation>Internal note: %1</translation>
    </message>
    <message>
        <source>Bukan Wewenang: permintaan terkirim</source>
        <translation>Not our authority: request sent</translation>
    </message>
    <message>
        <source>Bukan Wewenang: %1</source>
        <translation>Not our authority: %1</translation>
    </message>
    <message>
        <source>Tindak Lanjut</source>
        <translation>Reply</translation>
    </message>
    <message>
        <source>Tindak Lanjut penyelesaian</source>
        <translation>Closing reply</translation>
    </message>
    <message>
        <source>Bukan Wewenang</source>
        <translation>Not our authority</translation>
    </message>
    <message>
        <source>Catatan Internal</source>
        <translation>Internal note</translation>
    </message>
    <message>
        <source>Tepat waktu</source>
        <translation>On time</translation>
    </message>
    <message>
        <source>Segera</source>
        <translation>Due soon</translation>
    </message>
    <message>
        <source>Hari ini</source>
        <translation>Due today</translation>
    </message>
    <message>
        <source>Terlambat</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>Sudah ditindaklanjuti</source>
        <translation>Replied</translation>
    </message>
    <message>
        <source>Web</source>
        <translation>Web</translation>
    </message>
    <message>
        <source>Aplikasi seluler</source>
        <translation>Mobile app</translation>
    </message>
    <message>
        <source>SMS 1708</source>
        <translation>SMS 1708</translation>
    </message>
    <message>
        <source>Media sosial</source>
        <translation>Social media</translation>
    </message>
    <message>
        <source>Datang langsung</source>
        <translation>In person</translation>
    </message>
    <message>
        <source>Menunggu dikirim</source>
        <translation>Waiting to be sent</translation>
    </message>
    <message>
        <source>Laporan masuk</source>
        <translation>Complaint submitted</translation>
    </message>
    <message>
        <source>Diteruskan ke kantor</source>
        <translation>Forwarded to the office</translation>
    </message>
    <message>
        <source>Balasan Pelapor</source>
        <translation>Reporter&apos;s reply</translation>
    </message>
    <message>
        <source>Perubahan status</source>
        <translation>Status change</translation>
    </message>
    <message>
        <source>Dipindahkan</source>
        <translation>Moved</translation>
    </message>
    <message>
        <source>Penilaian Pelapor</source>
        <translation>Reporter&apos;s rating</translation>
    </message>
    <message>
        <source>Jan</source>
        <translation>Jan</translation>
    </message>
    <message>
        <source>Feb</source>
        <translation>Feb</translation>
    </message>
    <message>
        <source>Mar</source>
        <translation>Mar</translation>
    </message>
    <message>
        <source>Apr</source>
        <translation>Apr</translation>
    </message>
    <message>
        <source>Mei</source>
        <translation>May</translation>
    </message>
    <message>
        <source>Jun</source>
        <translation>Jun</translation>
    </message>
    <message>
        <source>Jul</source>
        <translation>Jul</translation>
    </message>
    <message>
        <source>Agu</source>
        <translation>Aug</translation>
    </message>
    <message>
        <source>Sep</source>
        <translation>Sep</translation>
    </message>
    <message>
        <source>Okt</source>
        <translation>Oct</translation>
    </message>
    <message>
        <source>Nov</source>
        <translation>Nov</translation>
    </message>
    <message>
        <source>Des</source>
        <translation>Dec</translation>
    </message>
    <message>
        <source>Atasan (Pejabat Penghubung)</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Petugas</source>
        <translation>Officer</translation>
    </message>
    <message>
        <source>Anonim</source>
        <translation>Anonymous</translation>
    </message>
    <message>
        <source>Rahasia</source>
        <translation>Confidential</translation>
    </message>
    <message>
        <source>RAHASIA</source>
        <translation>CONFIDENTIAL</translation>
    </message>
    <message>
        <source>Alamat server harus memakai https:// (kecuali server di komputer ini).</source>
        <translation>The server address must use https:// (except a server on this computer).</translation>
    </message>
    <message>
        <source>Isi alamat server, misalnya https://lapor.contoh.go.id</source>
        <translation>Enter the server address, for example https://lapor.contoh.go.id</translation>
    </message>
    <message>
        <source>%1 hari kerja</source>
        <translation>%1 working days</translation>
    </message>
    <message>
        <source>antrean kantor</source>
        <translation>office queue</translation>
    </message>
    <message>
        <source>komputer ini</source>
        <translation>this computer</translation>
    </message>
    <message>
        <source>%1 menit</source>
        <translation>%1 minutes</translation>
    </message>
    <message>
        <source>%1 jam</source>
        <translation>%1 hours</translation>
    </message>
    <message>
        <source>%1 hari</source>
        <translation>%1 days</translation>
    </message>
</context>
</TS>
