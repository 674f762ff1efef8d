"""``west extflash``: the west extension command (registered in
west-commands.yml through scripts/west_extflash.py)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from west.commands import CommandError, WestCommand

from extflash.command import dispatch
from extflash.command.context import Context
from extflash.command.output import Output
from extflash.command.parser import DESCRIPTION, add_subcommands


class ExtFlash(WestCommand):
    def __init__(self):
        # help='' : west shows the one-line help from west-commands.yml
        super().__init__("extflash", "", DESCRIPTION, accepts_unknown_args=False)

    def do_add_parser(self, parser_adder):
        parser = parser_adder.add_parser(
            self.name,
            description=self.description,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            allow_abbrev=False,
        )
        return add_subcommands(parser)

    def do_run(self, args, unknown):
        ctx = Context(
            out=Output(color=None if self.color_ui else False, verbosity=int(self.verbosity)),
            cwd=Path.cwd(),
            topdir=Path(self.topdir) if self.topdir else None,
            config=self._config_get,
            nrf_path=self._nrf_path(),
            env=dict(os.environ),
        )
        code = dispatch.run(args, ctx)
        if code:
            raise CommandError(returncode=code)

    def _config_get(self, option: str) -> str | None:
        if not self.has_config:
            return None
        return self.config.get(option)

    def _nrf_path(self) -> Path | None:
        """The sdk-nrf checkout, if the manifest has a project named nrf."""
        try:
            if not self.has_manifest:
                return None
            (project,) = self.manifest.get_projects(["nrf"], allow_paths=False)
            return Path(project.abspath)
        except Exception:  # no such project, or a manifest west could not load
            return None
