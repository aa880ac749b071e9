def make(territory):
    (territory / "data" / "~$parc_ops.xlsx").write_bytes(b"\x0bAATIKO" + bytes(150))
