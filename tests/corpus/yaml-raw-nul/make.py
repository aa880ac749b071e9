def make(territory):
    path = territory / "territory.yaml"
    path.write_bytes(path.read_bytes().replace(b"nom_court: CCRC", b"nom_court: CC\x00RC"))
