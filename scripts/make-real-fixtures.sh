#!/usr/bin/env bash
# usage: scripts/make-real-fixtures.sh [--list] [CASE...]
#
# Rebuild tests/fixtures/ncs-real/<case>/ with REAL NCS 2.7.0 (cmake-only) through
# ../shared/tools/ncs-real (build.sh + collect.sh; see its README.md). Builds run one
# after the other (the machine has 2 shared cores). Build directories go to
# $NCS_OUT (default /tmp/ncs-out); only collect.sh's text files, plus the CMake/Kconfig
# warnings NCS printed (cmake-messages.txt), land in the repository. Each case's
# PROVENANCE.yml is written by hand and is never touched here.
#
# Clean cases build an NCS test or a hand-written app from tests/fixtures/ncs-real-apps/.
# Fault cases copy a hand-written app to $NCS_OUT/apps/<case> and change ONE input there
# (the edit is the case's `mutate_*` function below, and is quoted in its PROVENANCE.yml).
# No NCS file is copied into the repository.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=${NCS_REAL_TOOLS:-$REPO/../shared/tools/ncs-real}
OUT=${NCS_OUT:-/tmp/ncs-out}
NCS_WS=${NCS_WS:-$HOME/ncs-real/ws-2.7.0}
APPS=$REPO/tests/fixtures/ncs-real-apps
DEST=$REPO/tests/fixtures/ncs-real

NCS_TEST=nrf/tests/modules/mcuboot/external_flash
NRF52=nrf52840dk/nrf52840
NRF53=nrf5340dk/nrf5340/cpuapp
NRF91=nrf9160dk@0.14.0/nrf9160/ns

# case name | app (workspace-relative NCS path, or an app under ncs-real-apps) | board |
# mutation function ("-" for none) | extra `west build` args after `--cmake-only`
CASES=(
  "nrf52840dk-ncs-test|$NCS_TEST|$NRF52|-|"
  "nrf52840dk-ncs-test-child-image|$NCS_TEST|$NRF52|-|CHILD_IMAGE"
  "nrf5340dk-ncs-test-netcore|$NCS_TEST|$NRF53|-|-- -DSB_CONFIG_NETCORE_EMPTY=y -DSB_CONFIG_SECURE_BOOT_NETCORE=y -DSB_CONFIG_NETCORE_APP_UPDATE=y -DSB_CONFIG_MCUBOOT_UPDATEABLE_IMAGES=2 -DSB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY=y"
  "nrf9160dk-spi-nor|@spi-nor-nrf9160|$NRF91|-|"
  "nrf52840dk-qspi|@qspi-secondary|$NRF52|-|"
  "nrf52840dk-dts-partitions|@dts-partitions|$NRF52|-|"
  "nrf52840dk-qspi-child-image|@qspi-child-image|$NRF52|-|CHILD_IMAGE"
  "fault-app-chosen-missing|@qspi-secondary|$NRF52|mutate_app_chosen_missing|"
  "fault-child-image-app-chosen-missing|@qspi-child-image|$NRF52|mutate_app_chosen_missing|CHILD_IMAGE"
  "fault-mcuboot-qspi-driver-missing|@qspi-secondary|$NRF52|mutate_mcuboot_driver_missing|"
  "fault-max-img-sectors-too-small|@qspi-secondary|$NRF52|mutate_max_img_sectors|"
  "fault-mcuboot-page-size-65536|@qspi-secondary|$NRF52|mutate_page_size|"
  "fault-mcuboot-chosen-missing|@qspi-secondary|$NRF52|mutate_mcuboot_chosen_missing|"
  "fault-dts-slot1-app-only|@dts-partitions|$NRF52|mutate_dts_map_app_only|"
  "nrf52840dk-qspi-pm-static|@qspi-secondary|$NRF52|mutate_add_pm_static|"
  "fault-nrf9160-override-check-missing|@spi-nor-nrf9160|$NRF91|mutate_app_override_missing|"
  "fault-pm-static-secondary-gap|@qspi-secondary|$NRF52|mutate_pm_static_secondary_gap|"
  "fault-pm-static-secondary-size|@qspi-secondary|$NRF52|mutate_pm_static_secondary_size|"
  # MCUboot modes: the frozen layout of nrf52840dk-qspi-pm-static with mcuboot_secondary
  # resized (the one changed input); the mode is the build's SB_CONFIG_MCUBOOT_MODE_*
  "mode-swap-move-secondary-one-sector-smaller|@qspi-secondary|$NRF52|mutate_secondary_0xf3000|"
  "mode-swap-move-secondary-two-sectors-smaller|@qspi-secondary|$NRF52|mutate_secondary_0xf2000|"
  "mode-swap-move-secondary-one-sector-larger|@qspi-secondary|$NRF52|mutate_secondary_0xf5000|"
  "mode-overwrite-only-secondary-one-sector-smaller|@qspi-secondary|$NRF52|mutate_secondary_0xf3000|-- -DSB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY=y"
  "mode-overwrite-only-equal-slots|@qspi-secondary|$NRF52|mutate_add_pm_static|-- -DSB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY=y"
)

# ----------------------------------------------------------------- mutations
# Each gets the copied app directory as $1 and changes exactly one input.
drop_line() {  # FILE EXACT_LINE: remove one line, fail if it is not there exactly once
  local n; n=$(grep -cxF -- "$2" "$1" || true)
  [ "$n" = 1 ] || { echo "make-real-fixtures: '$2' found $n times in $1" >&2; exit 1; }
  grep -vxF -- "$2" "$1" > "$1.tmp"; mv "$1.tmp" "$1"
}
replace_line() {  # FILE OLD NEW
  drop_line "$1" "$2"; printf '%s\n' "$3" >> "$1"
}
mutate_app_chosen_missing() { drop_line "$1/boards/nrf52840dk_nrf52840.overlay" $'\t\tnordic,pm-ext-flash = &mx25r64;'; }
mutate_mcuboot_driver_missing() { drop_line "$1/sysbuild/mcuboot.conf" "CONFIG_NORDIC_QSPI_NOR=y"; }
mutate_max_img_sectors() { replace_line "$1/sysbuild/mcuboot.conf" "CONFIG_BOOT_MAX_IMG_SECTORS=256" "CONFIG_BOOT_MAX_IMG_SECTORS=128"; }
mutate_page_size() {
  replace_line "$1/sysbuild/mcuboot.conf" "CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE=4096" \
    "CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE=65536"
}
mutate_mcuboot_chosen_missing() { drop_line "$1/sysbuild/mcuboot.overlay" $'\t\tnordic,pm-ext-flash = &mx25r64;'; }
mutate_dts_map_app_only() { drop_line "$1/sysbuild/mcuboot.overlay" '#include "../ext_flash_map.dtsi"'; }
mutate_app_override_missing() { drop_line "$1/prj.conf" "CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK=y"; }
mutate_add_pm_static() { cp "$APPS/pm-static/nrf52840dk-qspi.yml" "$1/pm_static.yml"; }
shrink_pm_static_secondary() {  # PM_STATIC [move-free-space]: mcuboot_secondary 0xf4000 -> 0xf0000
  python3 - "$@" <<'EOF'
import sys
path, move_free = sys.argv[1], len(sys.argv) > 2
text = open(path).read()
edits = [("mcuboot_secondary:\n  address: 0x0\n  device: DT_CHOSEN(nordic_pm_ext_flash)\n"
          "  end_address: 0xf4000\n",
          "mcuboot_secondary:\n  address: 0x0\n  device: DT_CHOSEN(nordic_pm_ext_flash)\n"
          "  end_address: 0xf0000\n"),
         ("  share_size:\n  - mcuboot_primary\n  size: 0xf4000\n",
          "  share_size:\n  - mcuboot_primary\n  size: 0xf0000\n")]
if move_free:  # the free external_flash partition then starts where the secondary ends
    edits.append(("external_flash:\n  address: 0xf4000\n  end_address: 0x800000\n"
                  "  region: external_flash\n  size: 0x70c000\n",
                  "external_flash:\n  address: 0xf0000\n  end_address: 0x800000\n"
                  "  region: external_flash\n  size: 0x710000\n"))
for old, new in edits:
    assert text.count(old) == 1, old
    text = text.replace(old, new)
open(path, "w").write(text)
EOF
}
mutate_pm_static_secondary_gap() {
  # what a user does first: shrink mcuboot_secondary (0xf4000 -> 0xf0000) and nothing else
  mutate_add_pm_static "$1"; shrink_pm_static_secondary "$1/pm_static.yml"
}
mutate_pm_static_secondary_size() {
  # the same, with the free external_flash space moved down so that Partition Manager accepts
  # it (it rejects the gap the first edit leaves): one file, one intent, a 16 KiB smaller secondary
  mutate_add_pm_static "$1"; shrink_pm_static_secondary "$1/pm_static.yml" move-free-space
}

resize_pm_static_secondary() {  # PM_STATIC SIZE: mcuboot_secondary 0x0+0xf4000 -> 0x0+SIZE,
  # the free external_flash partition moved to start where it ends (Partition Manager
  # wants the static external_flash partitions packed: see fault-pm-static-secondary-gap)
  python3 - "$@" <<'EOF'
import sys
path, size = sys.argv[1], int(sys.argv[2], 16)
text = open(path).read()
edits = [("  device: DT_CHOSEN(nordic_pm_ext_flash)\n  end_address: 0xf4000\n",
          f"  device: DT_CHOSEN(nordic_pm_ext_flash)\n  end_address: {size:#x}\n"),
         ("  share_size:\n  - mcuboot_primary\n  size: 0xf4000\n",
          f"  share_size:\n  - mcuboot_primary\n  size: {size:#x}\n"),
         ("external_flash:\n  address: 0xf4000\n  end_address: 0x800000\n"
          "  region: external_flash\n  size: 0x70c000\n",
          f"external_flash:\n  address: {size:#x}\n  end_address: 0x800000\n"
          f"  region: external_flash\n  size: {0x800000 - size:#x}\n")]
for old, new in edits:
    assert text.count(old) == 1, old
    text = text.replace(old, new)
open(path, "w").write(text)
EOF
}
mutate_secondary_0xf3000() { mutate_add_pm_static "$1"; resize_pm_static_secondary "$1/pm_static.yml" 0xf3000; }
mutate_secondary_0xf2000() { mutate_add_pm_static "$1"; resize_pm_static_secondary "$1/pm_static.yml" 0xf2000; }
mutate_secondary_0xf5000() { mutate_add_pm_static "$1"; resize_pm_static_secondary "$1/pm_static.yml" 0xf5000; }

# ----------------------------------------------------------------- driver
child_image_build() {  # APP BOARD OUTDIR: build.sh always passes --sysbuild; the
  # child/parent image build of NCS 2.7 needs --no-sysbuild, with build.sh's environment
  local app=$1 board=$2 out=$3
  (
    export PATH="${NCS_VENV:-$HOME/ncs-real/venv}/bin:$PATH"
    export ZEPHYR_TOOLCHAIN_VARIANT=${ZEPHYR_TOOLCHAIN_VARIANT:-gnuarmemb}
    export GNUARMEMB_TOOLCHAIN_PATH=${GNUARMEMB_TOOLCHAIN_PATH:-/usr}
    export ZEPHYR_BASE="$NCS_WS/zephyr"
    cd "$NCS_WS"
    case "$app" in /*) ;; *) app=$NCS_WS/$app;; esac
    west build -p always -b "$board" --no-sysbuild -d "$out" "$app" --cmake-only
  )
}

collect_child_image() {  # BUILD DEST: collect.sh reads sysbuild's layout; in a child/parent
  # build the application's own files sit at the top (zephyr/zephyr.dts, pm_config.h)
  local b=$1 d=$2 f
  bash "$TOOLS/collect.sh" "$b" "$d"
  for f in zephyr/zephyr.dts zephyr/include/generated/pm_config.h \
           zephyr/include/generated/ncs_version.h; do
    if [ -f "$b/$f" ]; then mkdir -p "$d/$(dirname "$f")"; cp "$b/$f" "$d/$f"; fi
  done
}

messages() {  # LOG: the CMake warnings/errors and Kconfig warnings NCS printed,
  # with the workspace path shortened to $NCS_WS
  awk '
    /^CMake (Warning|Error|Deprecation Warning)/ {m = "cmake"; print; next}
    /^(warning|error):/ {m = "kconfig"; print; next}
    m == "cmake" { if ($0 == "" || $0 ~ /^ /) {print; next} m = ""; print "" }
    m == "kconfig" { if ($0 != "") {print; next} m = ""; print ""; next }
    /(FATAL ERROR|[Ee]rror:|^Partition [Mm]anager failed)/ {print}
  ' "$1" | sed "s#$NCS_WS#\$NCS_WS#g; s#$OUT#\$NCS_OUT#g" | cat -s
}

run_case() {
  local spec=$1 name app board mutate extra src out rc
  IFS='|' read -r name app board mutate extra <<< "$spec"
  out=$OUT/$name
  if [[ $app == @* ]]; then
    src=$APPS/${app#@}
    if [ "$mutate" != "-" ]; then
      rm -rf "$OUT/apps/$name"; mkdir -p "$OUT/apps"
      cp -r "$src" "$OUT/apps/$name"; src=$OUT/apps/$name
      "$mutate" "$src"
    fi
  else
    src=$app
  fi
  echo "== $name: $src on $board ${extra}"
  set +e
  if [ "$extra" = CHILD_IMAGE ]; then
    child_image_build "$src" "$board" "$out" > "$out.log" 2>&1
  else
    # shellcheck disable=SC2086
    bash "$TOOLS/build.sh" "$src" "$board" "$out" --cmake-only $extra > "$out.log" 2>&1
  fi
  rc=$?
  set -e
  echo "   configure exit code $rc (log: $out.log)"
  local tmp; tmp=$(mktemp -d)
  if [ "$extra" = CHILD_IMAGE ]; then collect_child_image "$out" "$tmp/c"; else
    bash "$TOOLS/collect.sh" "$out" "$tmp/c"; fi
  { echo "# configure exit code: $rc"; messages "$out.log"; } > "$tmp/c/cmake-messages.txt"
  mkdir -p "$DEST/$name"
  find "$DEST/$name" -mindepth 1 -maxdepth 1 ! -name PROVENANCE.yml -exec rm -rf {} +
  cp -r "$tmp/c/." "$DEST/$name/"
  rm -rf "$tmp"
}

if [ "${1:-}" = --list ]; then
  for spec in "${CASES[@]}"; do echo "${spec%%|*}"; done; exit 0
fi
for spec in "${CASES[@]}"; do
  name=${spec%%|*}
  if [ $# -eq 0 ] || printf '%s\n' "$@" | grep -qxF "$name"; then run_case "$spec"; fi
done
