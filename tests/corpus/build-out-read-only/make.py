def make(territory):
    folder = territory.parent / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
