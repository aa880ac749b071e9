from tests.corpus_tools import patch_xlsx, xlsx_from_csv


def make(territory):
    path = xlsx_from_csv(territory, "parc_ops")
    patch_xlsx(path, '<dimension ref="A1:G26"/>', '<dimension ref="A1:XFD1048576"/>')
