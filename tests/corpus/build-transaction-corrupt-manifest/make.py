def make(territory):
    manifest = territory.parent / "out" / "cc-rhone-crussol" / "2025" / "manifest.json"
    manifest.write_text('{"documents": {"annexes-ppgdid": ', encoding="utf-8")
