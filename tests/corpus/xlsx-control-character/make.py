from tests.corpus_tools import patch_xlsx, xlsx_from_csv


def make(territory):
    path = xlsx_from_csv(territory, "parc_ops")
    patch_xlsx(path, ">Rue des Alpes<", ">_x0007_Rue des Alpes<")
