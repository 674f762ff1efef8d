"""Ships schemas/ inside the installed package (extflash/schemas) so that
``pip install .`` gives a CLI that validates without the source tree.
Everything else is in pyproject.toml."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildPyWithSchemas(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "extflash" / "schemas"
        target.mkdir(parents=True, exist_ok=True)
        for schema in sorted((ROOT / "schemas").glob("*.yml")):
            (target / schema.name).write_bytes(schema.read_bytes())


setup(cmdclass={"build_py": BuildPyWithSchemas})
