def make(territory):
    folder = territory.parent / "out"
    folder.mkdir()
    (folder / "cc-rhone-crussol").symlink_to("cc-rhone-crussol")
