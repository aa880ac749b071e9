import shutil

from tests.test_deliberation_template import DEFAULT, OVERRIDE


def make(territory):
    elsewhere = territory.parent.parent / "elsewhere.docx"
    shutil.copyfile(DEFAULT, elsewhere)
    (territory / OVERRIDE).parent.mkdir(parents=True)
    (territory / OVERRIDE).symlink_to(elsewhere)
