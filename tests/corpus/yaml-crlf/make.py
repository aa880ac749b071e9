def make(territory):
    path = territory / "territory.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
