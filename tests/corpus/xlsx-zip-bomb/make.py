import zipfile

from tests.corpus_tools import xlsx_from_csv


def make(territory):
    path = xlsx_from_csv(territory, "parc_ops")
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("xl/media/padding.bin", "w", force_zip64=True) as part,
    ):
        block = bytes(10_000_000)
        for _ in range(21):  # 210 MB of zeros, 200 kB once compressed
            part.write(block)
