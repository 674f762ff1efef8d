"""``migrate``: options, and carrying out the migration plan (the only place
that prints for ``migrate``).

Exit codes as ``init``: 0 written, already up to date, or a dry run; 1
conflicts (nothing written); 2 bad usage or input, or a layout devicetree
cannot express (refused with the reason; nothing written).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from extflash.command.context import Context
from extflash.errors import EXIT_OK, UsageError

MIGRATE_DESCRIPTION = """\
Move an application's flash layout from Partition Manager (partitions.yml of
a build, or pm_static.yml) to devicetree partitions without moving a byte:
every partition keeps its device, absolute address and size. Writes one
shared memory map (boards/<board>_memory_map.dtsi) included by the
application's board overlay and by MCUboot's sysbuild overlay (and by each
network-core image's on nRF5340), and SB_CONFIG_PARTITION_MANAGER=n where the
NCS version has the option. pm_static.yml is left in place.

NCS 3.4 and later get zephyr,mapped-partition internal partitions; earlier
versions (--ncs-version 2.7.0 ...) plain fixed-partitions. What devicetree
cannot express (overlapping partitions; TF-M's nested slot before NCS 3.4)
is refused with the reason.

Check the result: build it, then
  west extflash verify -d NEW_BUILD --baseline OLD_BUILD_OR_LAYOUT.json
must report no layout-changed.

exit codes: 0 written, up to date, or a dry run; 1 conflicts, nothing
written; 2 bad usage or input, or a layout devicetree cannot express
"""

HEADER = "Written by `west extflash migrate` from the {source} of {board}"


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "migrate",
        help="move a Partition Manager layout to devicetree partitions, byte for byte",
        description=MIGRATE_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    p.add_argument("app_dir", nargs="?", metavar="APP_DIR",
                   help="the application to write into (default: current directory)")
    p.add_argument("--app", dest="app_opt", metavar="DIR", help="same as APP_DIR")
    p.add_argument("-d", "--build-dir", dest="build_dir", metavar="BUILD_DIR",
                   help="a Partition Manager build of the application (partitions.yml)")
    p.add_argument("--static", metavar="PM_STATIC_YML",
                   help="migrate this pm_static.yml instead of a build (needs -b)")
    p.add_argument("-b", "--board", help="board target, with --static")
    p.add_argument("--to", choices=("dts", "sysbuild"), default="dts",
                   help="dts: devicetree partitions, no Partition Manager (default); "
                   "sysbuild: child_image/ configuration to sysbuild/ (NCS 2.7 and later)")
    p.add_argument("--ncs-version", metavar="X.Y.Z",
                   help="NCS version to write for (default: the workspace's nrf/VERSION)")
    p.add_argument("-n", "--dry-run", action="store_true",
                   help="print a unified diff, write nothing")
    p.add_argument("-f", "--force", action="store_true",
                   help="change lines that conflict with yours")
    p.set_defaults(handler=run)
    return p


def run(args: argparse.Namespace, ctx: Context) -> int:
    from extflash.command.init_report import _app_dir
    from extflash.scaffold.apply import app_lock

    with app_lock(_app_dir(args, ctx)):
        return _run_sysbuild(args, ctx) if args.to == "sysbuild" else _run(args, ctx)


def _source(args: argparse.Namespace, ctx: Context):
    from extflash.loaders import migration_source

    if args.static and args.build_dir:
        raise UsageError("give either -d BUILD_DIR or --static pm_static.yml, not both",
                         hint="a build directory is preferred: its devicetree names the devices")
    if args.static:
        if not args.board:
            raise UsageError("--static needs the board (-b)",
                             hint="for example -b nrf52840dk/nrf52840")
        from extflash import boards

        board = boards.resolve_board(args.board, None)
        return migration_source.from_static(Path(ctx.cwd) / args.static, board)
    found = ctx.find_build_dirs([args.build_dir] if args.build_dir else None)
    if len(found) != 1:
        raise UsageError("migrate reads one Partition Manager build",
                         hint="pass it with -d BUILD_DIR, or --static pm_static.yml -b BOARD")
    return migration_source.from_build(found[0].path)


def _run(args: argparse.Namespace, ctx: Context) -> int:
    from extflash import migrate
    from extflash.command.init_report import _app_dir, _version
    from extflash.ncs import Layout
    from extflash.scaffold.layouts import migrate_dts
    from extflash.scaffold.model import Conflict, Plan, Request, Status
    from extflash.scaffold.paths import check_app_dir
    from extflash.scaffold.plan import _plan_file
    from extflash.units import hex_size

    out = ctx.out
    app_dir = _app_dir(args, ctx)
    root = check_app_dir(app_dir)
    src = _source(args, ctx)
    where = args.static or str(args.build_dir or "the build directory")
    if not src.app_map.name2partition:
        raise migrate.MigrationRefused(
            f"has no Partition Manager output (partitions.yml; this build uses "
            f"{src.partitioning}): there is no Partition Manager layout to migrate",
            path=where, hint="west extflash layout -d BUILD prints a devicetree build's layout")
    if src.ext_base:
        raise migrate.MigrationRefused(
            f"the external_flash region starts at {src.ext_base:#x} "
            "(CONFIG_PM_EXTERNAL_FLASH_BASE), so Partition Manager's external addresses are not "
            "offsets in the chip", path=where,
            hint="add the base to each external partition by hand; migrate does not guess")
    if not src.board:
        raise UsageError("the build records no board (CMakeCache.txt BOARD)",
                         hint="use --static pm_static.yml -b BOARD")
    version, version_from = _version(args, ctx)
    mapped = migrate_dts.uses_mapped(version)
    for domain_map in (src.app_map, src.net_map):
        if domain_map is not None:
            migrate.check_nsib(domain_map, mapped, where)
    dm = migrate.convert(src.app_map, region2node=src.region2node, mapped=mapped,
                         source=where, referenced=src.referenced)
    net = None
    if src.net_map is not None:
        if src.net_region2node:
            net = migrate.convert(src.net_map, region2node=src.net_region2node, mapped=mapped,
                                  netcore=True, source=where)
        else:
            out.wrn("the network core's layout (partitions_CPUNET.yml) was not migrated: no "
                    "network-core image's zephyr.dts names its flash (/chosen zephyr,flash)")
    header = [HEADER.format(source=src.origin, board=src.board),
              f"Devicetree partitions for {src.board}, "
              + (f"NCS {version}" if version else "NCS 3.4 and later")
              + (" (zephyr,mapped-partition)." if mapped else " (fixed-partitions)."),
              "Every partition keeps the device, absolute address and size Partition",
              "Manager gave it: a moved slot breaks the next update of every device",
              "in the field (check with west extflash verify --baseline)."]
    external = any(not d.internal for d in dm.devices)
    specs = migrate_dts.specs(app_dir=root, board=src.board, version=version, dm=dm,
                              header=header, net=net, net_images=src.net_images,
                              mcuboot_config=src.mcuboot_config, external=external)
    changes = [_plan_file(root, spec, args.force) for spec in specs]
    for ch, spec in zip(changes, specs, strict=True):
        if not hasattr(spec, "include") or ch.old is None:
            continue
        own = migrate_dts.own_partitions(ch.old)
        if own:
            ch.conflicts += [Conflict(ch.path, line, "partitions", text,
                                      f"no partitions here: they are in {spec.include}")
                             for line, text in own]
            ch.status, ch.new = Status.CONFLICT, ch.old
    plan = Plan(request=Request(app_dir=root, board=None, layout=Layout.DTS, version=version),
                changes=changes, geometry=None)

    out.banner(f"west extflash migrate: {src.board}, Partition Manager -> devicetree partitions")
    out.inf(f"from {src.description}; {version_from}; "
            + ("zephyr,mapped-partition (NCS 3.4 and later)" if mapped
               else "fixed-partitions (before NCS 3.4)"))
    for d in [*dm.devices, *(net.devices if net else [])]:
        for p in migrate._flat(d.parts):
            out.inf(f"  &{d.node:<10} {p.labels[0]:<24} {p.address:#10x}  {hex_size(p.size)}"
                    f"  ({p.pm_name})")
    for note in [*dm.notes, *(net.notes if net else [])]:
        out.inf(f"note: {note}")
    if src.build_layout == "child-image" and net is not None:
        out.wrn(f"the network-core overlays are named after this build's child images "
                f"({', '.join(src.net_images)}); sysbuild names its network-core image after "
                "SB_CONFIG_NETCORE_* (ipc_radio, hci_ipc, ...): rename sysbuild/<image>.overlay "
                "to match")
    if src.build_layout == "child-image":
        out.wrn("this build used child images (child_image/): sysbuild (NCS 2.7 and later) does "
                "not read child_image/mcuboot.conf; move its settings to sysbuild/mcuboot.conf")
    for static in sorted(root.glob("pm_static*.yml")):
        out.inf(f"note: {static.name} is left in place; with {migrate_dts.PM_SYMBOL}=n NCS "
                "ignores it. Keep it until verify --baseline of the new build passes")

    code = _carry_out(plan, args, out)
    if code != EXIT_OK or args.dry_run:
        return code
    out.inf(f"next: west build -b {src.board} --sysbuild -p always, then "
            f"west extflash verify -d <new build> --baseline {where}")
    return EXIT_OK


def _carry_out(plan, args: argparse.Namespace, out) -> int:
    """Conflicts (exit 1, nothing written), the --dry-run diff, or the writes."""
    from extflash.command.init_report import carry_out

    return carry_out(plan, out, dry_run=args.dry_run, tool="migrate",
                     advice="change those lines yourself; --force replaces Kconfig values, "
                            "never your partitions")


def _run_sysbuild(args: argparse.Namespace, ctx: Context) -> int:
    from extflash.command.init_report import _app_dir
    from extflash.ncs import Layout
    from extflash.scaffold.layouts import migrate_sysbuild
    from extflash.scaffold.model import Plan, Request
    from extflash.scaffold.paths import check_app_dir
    from extflash.scaffold.plan import _plan_file

    out = ctx.out
    if args.static:
        raise UsageError("--to sysbuild reads the application's child_image/ folder (and, with "
                         "-d, a child-image build of it), not pm_static.yml",
                         hint="leave out --static")
    root = check_app_dir(_app_dir(args, ctx))
    from_build = None
    if args.build_dir:
        from extflash.loaders import load_build

        build = load_build(Path(ctx.cwd) / args.build_dir)
        if build.layout != "child-image":
            raise UsageError(f"{args.build_dir} is a {build.layout} build; --to sysbuild reads "
                             "a child-image build",
                             hint="leave out -d, or give a child-image build")
        boot = build.mcuboot
        from_build = migrate_sysbuild.build_settings(
            build.app.config if build.app else None, boot.config if boot else None, build.board)
    if not (root / "child_image").is_dir():
        raise UsageError(f"{root}: no child_image/ folder: nothing to move to sysbuild/",
                         hint="--to sysbuild converts a child-image (NCS 2.6 and older) project")
    header = "Moved by `west extflash migrate --to sysbuild` from child_image/"
    specs, notes, warnings = migrate_sysbuild.specs(root, header, from_build)
    changes = [_plan_file(root, spec, args.force) for spec in specs]
    plan = Plan(request=Request(app_dir=root, board=None, layout=Layout.SYSBUILD, version=None),
                changes=changes, geometry=None)
    out.banner("west extflash migrate: child_image/ -> sysbuild/")
    for warning in warnings:
        out.wrn(warning)
    for note in notes:
        out.inf(f"note: {note}")
    out.inf("note: child_image/ is left in place; sysbuild (NCS 2.7 and later) ignores it")
    code = _carry_out(plan, args, out)
    if code == EXIT_OK and not args.dry_run:
        out.inf("next: west build -b <board> --sysbuild -p always, then west extflash verify")
    return code
