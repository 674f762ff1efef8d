"""init on the nRF54L15 DK with Partition Manager (sysbuild layout): MCUboot
with the SPI NOR driver needs a larger partition and, above about 62 KiB,
CONFIG_FPROTECT=n. Expected values from sdk-nrf
tests/modules/mcuboot/external_flash/sysbuild/mcuboot/boards/nrf54l15dk_nrf54l15_cpuapp.conf
@1fbdd8d (CONFIG_SPI_NRFX_RAM_BUFFER_SIZE=32, CONFIG_FPROTECT=n) and
boards/nrf54l15dk_nrf54l15_cpuapp.overlay @bbb065b (boot_partition 68 KiB)."""

from __future__ import annotations

import shutil

from conftest import FIXTURES, run_cli

HELLO = FIXTURES / "apps" / "hello"


def test_nrf54l15_pm_mcuboot_holds_the_spi_nor_driver(tmp_path):
    app = tmp_path / "app"
    shutil.copytree(HELLO, app)
    code, _, err = run_cli(["init", str(app), "-b", "nrf54l15dk/nrf54l15/cpuapp",
                            "--ncs-version", "3.1.0"])
    assert code == 0, err
    lines = (app / "sysbuild" / "mcuboot.conf").read_text().splitlines()
    assert "CONFIG_SPI_NRFX_RAM_BUFFER_SIZE=32" in lines
    assert "CONFIG_FPROTECT=n" in lines
    assert "CONFIG_PM_PARTITION_SIZE_MCUBOOT=0x11000" in lines  # 68 KiB, a Kconfig hex


def test_a_larger_mcuboot_partition_of_the_user_stays(tmp_path):
    app = tmp_path / "app"
    shutil.copytree(HELLO, app)
    (app / "sysbuild").mkdir()
    (app / "sysbuild" / "mcuboot.conf").write_text("CONFIG_PM_PARTITION_SIZE_MCUBOOT=0x14000\n")
    code, _, err = run_cli(["init", str(app), "-b", "nrf54l15dk/nrf54l15/cpuapp",
                            "--ncs-version", "3.1.0"])
    assert code == 0, err
    text = (app / "sysbuild" / "mcuboot.conf").read_text()
    assert text.startswith("CONFIG_PM_PARTITION_SIZE_MCUBOOT=0x14000\n")
    assert text.count("CONFIG_PM_PARTITION_SIZE_MCUBOOT") == 1
