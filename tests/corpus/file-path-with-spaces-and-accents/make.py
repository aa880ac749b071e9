def make(territory):
    pass
