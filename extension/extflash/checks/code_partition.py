"""EXF305 ``code-partition-mismatch``: in a devicetree-partition build the
``zephyr,code-partition`` chosen node decides where each image is linked;
MCUboot must be linked into ``boot_partition`` and the application into
``slot0_partition``. (With Partition Manager the partitions decide and the
chosen node is not used, so the check is silent there.)"""

from __future__ import annotations

from collections.abc import Iterator

from extflash.checks import docs
from extflash.checks.base import Check
from extflash.model import Build, Finding, Image, Location, Partitioning, Role, Severity

CODE_PARTITION = "zephyr,code-partition"
# role -> (the partition label it must be linked into, where NCS users set it)
_EXPECTED = {Role.MCUBOOT: ("boot_partition", "sysbuild/mcuboot.overlay"),
             Role.APP: ("slot0_partition", "the application's board overlay")}


def _where(image: Image) -> Location:
    tree = image.devicetree
    file = (tree.source.file if tree is not None and tree.source
            else f"{image.dir}/zephyr/zephyr.dts")
    chosen = tree.node("/chosen") if tree is not None else None
    defined = (chosen.props.get("defined_in") or {}).get(CODE_PARTITION) if chosen else None
    return Location(file, "/chosen", defined_in=defined)


def check_code_partition_mismatch(build: Build) -> Iterator[Finding]:
    """What it checks
    In a build with devicetree partitions, MCUboot's ``zephyr.dts`` chooses
    ``zephyr,code-partition = &boot_partition`` and the application's
    ``zephyr,code-partition = &slot0_partition``.

    Why it matters
    Without Partition Manager the chosen node is what places each image.
    MCUboot's own ``boot/zephyr/app.overlay`` sets it to ``boot_partition``,
    but ``sysbuild/mcuboot.overlay`` (or a ``sysbuild/mcuboot/`` directory)
    replaces that file; MCUboot then keeps the board's choice,
    ``slot0_partition``, and is linked where the application belongs: the
    device does not boot, or MCUboot overwrites itself with the first update.
    An application linked outside ``slot0_partition`` is never booted by
    MCUboot.

    How to fix
    Add ``/ { chosen { zephyr,code-partition = &boot_partition; }; };`` to
    ``sysbuild/mcuboot.overlay`` (NCS's own external-flash test repeats it in
    ``sysbuild/mcuboot/boards/<board>.overlay``), and
    ``zephyr,code-partition = &slot0_partition`` to the application's board
    overlay; ``west extflash init --layout dts`` writes both.

    See also
    MCUboot external flash (bootloader_partitioning)
    Sources: sdk-mcuboot v2.1.0-ncs1 boot/zephyr/app.overlay
    (zephyr,code-partition = &boot_partition); sdk-zephyr v3.6.99-ncs2
    include/zephyr/arch/arm/cortex_m/scripts/linker.ld (without
    Partition Manager an image is linked at its zephyr,code-partition).
    """
    if build.partitioning is not Partitioning.DTS:
        return
    for image in (build.mcuboot, build.app):
        if image is None or image.devicetree is None:
            continue
        label, place = _EXPECTED[image.role]
        node = image.devicetree.chosen_node(CODE_PARTITION)
        if node is not None and label in node.labels:
            continue
        if node is None:
            # MCUboot: linked at the start of flash, where it belongs; an application
            # with CONFIG_BOOTLOADER_MCUBOOT cannot even be built without the chosen
            continue
        what = (f"chooses {node.path} ({', '.join(node.labels) or 'no label'}) as "
                f"{CODE_PARTITION}")
        yield CODE_PARTITION_MISMATCH.finding(
            f"{image.name}'s zephyr.dts {what}, not {label}: {image.name} is linked outside "
            "the partition MCUboot expects it in",
            hint=f"set / {{ chosen {{ {CODE_PARTITION} = &{label}; }}; }} in {place}",
            location=_where(image), image=image.name)


CODE_PARTITION_MISMATCH = Check(
    "EXF305", "code-partition-mismatch", Severity.ERROR,
    "an image's zephyr,code-partition is not its MCUboot partition (devicetree builds)",
    "choose &boot_partition in MCUboot's overlay and &slot0_partition in the application's",
    docs.url_latest(docs.MCUBOOT_EXTERNAL_FLASH), check_code_partition_mismatch)
