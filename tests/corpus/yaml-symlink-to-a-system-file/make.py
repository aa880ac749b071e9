def make(territory):
    path = territory / "territory.yaml"
    path.unlink()
    path.symlink_to("/etc/passwd")
