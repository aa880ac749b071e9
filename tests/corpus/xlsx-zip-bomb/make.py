from tests.corpus_tools import xlsx_from_csv, patch_xlsx

import zipfile
def make(territory):
    path = xlsx_from_csv(territory, "parc_ops")
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/padding.bin", "w", force_zip64=True) as part:
            block = bytes(1_000_000)
            for _ in range(210):
                part.write(block)
