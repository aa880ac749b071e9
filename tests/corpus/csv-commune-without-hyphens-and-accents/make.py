from tests.corpus_tools import set_cell


def make(territory):
    set_cell(territory, "parc_ops", 2, "commune", "Charmes sur Rhone")
    set_cell(territory, "parc_ops", 17, "commune", "ST PERAY")
    set_cell(territory, "parc_ops", 18, "commune", "saint-péray")
