#!/usr/bin/env bash
# The main job on the bundled examples, as a user runs it:
#   1. a temporary west workspace that includes this repository (offline),
#   2. `west extflash init` on a copy of the bundled application
#      (tests/fixtures/apps/hello) for the nRF52840 DK, shown as files,
#      then run again to show that nothing changes,
#   3. `west extflash verify` on a bundled clean build and on the same build
#      with MCUboot's QSPI driver switched off (the classic "Failed reading
#      sectors" / "Failed to open flash area" boot failure).
# Needs west (installed by `pip install .`) and git. Writes only in a
# temporary directory, which it removes.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export WEST_CONFIG_GLOBAL="$tmp/west-global" WEST_CONFIG_SYSTEM="$tmp/west-system"
unset ZEPHYR_BASE WEST_CONFIG_LOCAL BOARD || true

step() { printf '\n\033[1m## %s\033[0m\n' "$*"; }

step "workspace: $tmp/ws (this repository as the manifest repository)"
mkdir -p "$tmp/ws"
(cd "$repo" && tar --exclude=.git --exclude=.venv --exclude='*.egg-info' \
    --exclude=__pycache__ -cf - .) | (mkdir -p "$tmp/ws/west-extflash" && tar -C "$tmp/ws/west-extflash" -xf -)
(cd "$tmp/ws" && west init -l west-extflash >/dev/null)
cp -r "$repo/tests/fixtures/apps/hello" "$tmp/ws/app"
cd "$tmp/ws/app"

step "west extflash init -b nrf52840dk/nrf52840 --dry-run"
west extflash init -b nrf52840dk/nrf52840 --dry-run

step "west extflash init -b nrf52840dk/nrf52840"
west extflash init -b nrf52840dk/nrf52840
for f in sysbuild.conf sysbuild/mcuboot.conf sysbuild/mcuboot.overlay boards/nrf52840dk_nrf52840.overlay; do
    printf -- '----- %s\n' "$f"; cat "$f"
done

step "west extflash init -b nrf52840dk/nrf52840 (again: nothing changes)"
west extflash init -b nrf52840dk/nrf52840

step "west extflash verify on a clean nRF52840 DK sysbuild build"
cp -r "$repo/tests/fixtures/builds/nrf52840dk-sysbuild" "$tmp/build-ok"
west extflash verify -d "$tmp/build-ok"

step "the same build, MCUboot's CONFIG_NORDIC_QSPI_NOR off (expect exit 1)"
cp -r "$repo/tests/fixtures/builds/nrf52840dk-sysbuild" "$tmp/build-bad"
cp -r "$repo/tests/cases/EXF201-driver-disabled/files/." "$tmp/build-bad/"
set +e
west extflash verify -d "$tmp/build-bad"
rc=$?
set -e
echo "exit code: $rc"
[ "$rc" -eq 1 ]

step "done"
