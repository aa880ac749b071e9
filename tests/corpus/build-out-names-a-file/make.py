def make(territory):
    (territory.parent / "notes.txt").write_text("not a folder\n", encoding="utf-8")
