"""Build hook: the wheel carries templates/, content/ and territories/ as package data.

They stay at the repository root (the product's shape) and are copied into
generator/_data/ of the wheel, where generator.resources finds them. An editable install
(`make`) skips the copy: generator.resources then reads them from the checkout.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA = ("templates", "content", "territories")
LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.pyc", ".*", "build")


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib, "generator", "_data")
        shutil.rmtree(target, ignore_errors=True)  # a file deleted since the last build goes too
        for name in DATA:
            shutil.copytree(name, target / name, ignore=LEFT_OUT, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithData})
