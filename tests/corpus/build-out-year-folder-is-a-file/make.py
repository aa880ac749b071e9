def make(territory):
    folder = territory.parent / "out" / "cc-rhone-crussol"
    folder.mkdir(parents=True)
    (folder / "2025").write_text("not a folder", encoding="utf-8")
