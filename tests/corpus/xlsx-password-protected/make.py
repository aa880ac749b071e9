def make(territory):
    (territory / "data" / "parc_ops.csv").unlink()
    # An encrypted workbook is an OLE2 container holding "EncryptionInfo" and "EncryptedPackage"
    header = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
    names = (
        "EncryptionInfo".encode("utf-16-le") + bytes(50) + "EncryptedPackage".encode("utf-16-le")
    )
    (territory / "data" / "parc_ops.xlsx").write_bytes(header + bytes(512) + names + bytes(1024))
