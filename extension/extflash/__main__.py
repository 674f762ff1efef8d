"""``python -m extflash``: the same commands as ``west extflash``."""

import sys

from extflash.command.standalone import main

sys.exit(main())
