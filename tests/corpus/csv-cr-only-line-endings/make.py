def make(territory):
    path = territory / "data" / "parc_ops.csv"
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
