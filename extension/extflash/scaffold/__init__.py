"""``west extflash init``: plan and safely write the external-flash MCUboot
configuration into an application. Library code: never prints or exits.

- ``model``: specs, file changes and the plan, as data
- ``layouts/``: one module per configuration layout (registry in ``layouts``)
- ``geometry``: slot sizes and ``CONFIG_BOOT_MAX_IMG_SECTORS``
- ``kconfig_merge`` / ``overlay_merge``: merging into the user's files
- ``textfile`` / ``paths``: reading text losslessly, staying inside the app
- ``plan``: request -> plan (reads, never writes)
- ``apply``: atomic writes, or a unified diff for ``--dry-run``

Importing it is only done inside ``command/init_report.run_init``, never at
``west extflash -h`` time.
"""
