"""west extflash: scaffold and verify MCUboot's secondary slot in external
flash for nRF Connect SDK applications.

Package map (dependencies point one way; see README.rst, "Design"):

- ``command/``: the only layer that prints or exits (west command, standalone CLI)
- ``scaffold/``: ``init`` planning and safe writing (no printing)
- ``loaders/``: read build artefacts into the model; never judge
- ``checks/``: judge the model; never read files
- ``model.py``, ``kconfig.py``, ``ncs.py``, ``units.py``: shared data and parsing
"""

__version__ = "0.1.0"
