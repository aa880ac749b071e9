def make(territory):
    path = territory / "data" / "parc_ops.csv"
    path.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + path.read_bytes())
