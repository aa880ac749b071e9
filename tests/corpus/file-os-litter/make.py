def make(territory):
    for name in (".DS_Store", "Thumbs.db", "desktop.ini", "._parc_ops.csv"):
        (territory / "data" / name).write_bytes(b"\x00\x05\x16\x07" + bytes(100))
