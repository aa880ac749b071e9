import zipfile


def make(territory):
    (territory / "data" / "parc_ops.csv").unlink()
    with zipfile.ZipFile(territory / "data" / "parc_ops.xlsx", "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
