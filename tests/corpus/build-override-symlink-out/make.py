def make(territory):
    target = territory / "overrides" / "blocs" / "guichets-introduction.md.j2"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to("/etc/passwd")
