def make(territory):
    (territory / "data" / "parc_ops.csv").unlink()
    header = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
    (territory / "data" / "parc_ops.xlsx").write_bytes(header + bytes(1024))
