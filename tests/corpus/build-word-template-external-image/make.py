import shutil

from generator.render.zipfix import read_entry, replace_entries
from tests.test_deliberation_template import DEFAULT, OVERRIDE

LINK = (
    '<Relationship Id="rIdOut1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
    'Target="file:///etc/passwd" TargetMode="External"/></Relationships>'
)


def make(territory):
    target = territory / OVERRIDE
    target.parent.mkdir(parents=True)
    shutil.copyfile(DEFAULT, target)
    rels = read_entry(target.read_bytes(), "word/_rels/document.xml.rels").decode()
    rels = rels.replace("</Relationships>", LINK)
    changed = {"word/_rels/document.xml.rels": rels.encode()}
    target.write_bytes(replace_entries(target.read_bytes(), changed))
