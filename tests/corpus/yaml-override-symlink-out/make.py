def make(territory):
    target = territory / "overrides" / "blocs" / "deliberation-textes.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to("/etc/passwd")
