def edit(territory, old, new):
    path = territory / "territory.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def make(territory):
    edit(territory, "annee: 2025", "annee: 1925")
