def make(territory):
    folder = territory.parent / "out" / "cc-rhone-crussol" / "2025"
    staging = folder.parent / ".2025.staging-4242"
    staging.mkdir()
    (staging / "annexes-ppgdid.md").write_text("half", encoding="utf-8")
    (folder / ".staging-77").mkdir()
    (folder / ".annexes-ppgdid.html.x1y2.tmp").write_text("half", encoding="utf-8")
