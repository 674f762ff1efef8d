"""The command layer: the only code in extflash that prints or exits.

- ``west_command.ExtFlash``: the west extension (imports west)
- ``standalone.main``: ``python -m extflash`` / the ``extflash`` script
- ``parser``: the argparse tree both share
- ``init_cmd`` / ``verify_cmd``: one module per subcommand: options and the
  handler that turns library results and errors into output and an exit code

Importing this package is cheap: heavy modules (pykwalify, devicetree, the
checks) are imported inside the handlers, never at module level.
"""
