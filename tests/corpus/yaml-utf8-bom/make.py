def make(territory):
    path = territory / "territory.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
