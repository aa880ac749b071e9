def make(territory):
    (territory.parent / "out" / "cc-rhone-crussol" / "2025" / "annexes-ppgdid.md").unlink()
