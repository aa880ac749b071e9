import os


def make(territory):
    path = territory / "data" / "parc_ops.csv"
    path.unlink()
    os.mkfifo(path)
