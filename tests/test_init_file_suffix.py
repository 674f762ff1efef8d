"""init and Zephyr's FILE_SUFFIX: a build with -DFILE_SUFFIX=release reads
prj_release.conf, sysbuild_release.conf, sysbuild/mcuboot_release.conf and
boards/<board>_release.overlay when they exist, else the plain files (zephyr
cmake/modules/extensions.cmake zephyr_file_suffix; configuration_files.cmake
l.47-92; share/sysbuild/cmake/modules/sysbuild_kconfig.cmake l.46 and
sysbuild_extensions.cmake l.275, NCS 2.7.0), as NCS samples with
prj_release.conf use it."""

from __future__ import annotations

import shutil

from conftest import FIXTURES, run_cli

HELLO = FIXTURES / "apps" / "hello"


def app_with_release(tmp_path):
    app = tmp_path / "app"
    shutil.copytree(HELLO, app)
    (app / "prj_release.conf").write_text("CONFIG_LOG=n\n")
    (app / "sysbuild_release.conf").write_text("SB_CONFIG_BOOTLOADER_MCUBOOT=y\n")
    return app


def test_file_suffix_writes_where_that_build_reads(tmp_path):
    app = app_with_release(tmp_path)
    plain = (app / "prj.conf").read_text()
    code, out, err = run_cli(["init", str(app), "-b", "nrf54l15dk/nrf54l15/cpuapp",
                              "--ncs-version", "3.1.0", "--file-suffix", "release"])
    assert code == 0, err
    assert "CONFIG_SPI_NOR=y" in (app / "prj_release.conf").read_text()
    assert (app / "prj.conf").read_text() == plain  # the release build does not read it
    assert "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y" in \
        (app / "sysbuild_release.conf").read_text()
    assert not (app / "sysbuild.conf").exists()
    # no sysbuild/mcuboot_release.conf: the plain fragment is the fallback
    assert (app / "sysbuild" / "mcuboot.conf").is_file()


def test_without_the_option_the_suffixed_files_are_named(tmp_path):
    app = app_with_release(tmp_path)
    code, out, err = run_cli(["init", str(app), "-b", "nrf54l15dk/nrf54l15/cpuapp",
                              "--ncs-version", "3.1.0"])
    assert code == 0
    assert "prj_release.conf: a build with -DFILE_SUFFIX=release reads it instead of " \
           "prj.conf" in out + err
    assert "CONFIG_SPI_NOR" not in (app / "prj_release.conf").read_text()


def test_bad_suffix_is_usage_error(tmp_path):
    app = app_with_release(tmp_path)
    code, _, err = run_cli(["init", str(app), "-b", "nrf54l15dk/nrf54l15/cpuapp",
                            "--ncs-version", "3.1.0", "--file-suffix", "../x"])
    assert code == 2 and "not a FILE_SUFFIX name" in err
