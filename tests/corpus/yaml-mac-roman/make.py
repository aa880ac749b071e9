def make(territory):
    path = territory / "territory.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("mac_roman", errors="replace"))
