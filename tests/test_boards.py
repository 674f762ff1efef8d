"""Board data (``extflash/data/boards.yml``), its schema, and board-target
parsing in both naming schemes."""

from __future__ import annotations

import shutil

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from extflash import boards
from extflash.errors import BoardError, ExtflashError, UsageError
from extflash.ncs import NcsVersion
from extflash.resources import data_path

REQUIRED = {"nrf52840dk", "nrf5340dk", "thingy53", "nrf7002dk", "nrf9160dk", "nrf9161dk",
            "nrf9151dk", "nrf54l15dk", "nrf21540dk"}


def test_boards_yml_validates_and_covers_the_required_boards():
    data = boards.load_board_data()
    assert REQUIRED <= {b["id"] for b in data.boards}
    for board in data.boards:
        assert board["sources"], board["id"]
        for t in board["targets"]:
            assert t["soc"] in data.socs


def test_every_target_resolves_in_both_spellings():
    data = boards.load_board_data()
    for entry in data.boards:
        if "flash" not in entry:
            continue
        for t in entry["targets"]:
            for name in (t["hwmv2"], t.get("hwmv1")):
                if not name:
                    continue
                board = boards.resolve_board(name)
                assert board.hwmv2 == t["hwmv2"]
                assert board.flash.node == entry["flash"]["node"]
                assert "/" not in board.overlay_name(True) and ".." not in board.overlay_name(True)


def test_broken_board_data_is_one_clear_error(tmp_path):
    bad = tmp_path / "boards.yml"
    data = yaml.safe_load(data_path("boards.yml").read_text())
    data["boards"][0]["flash"]["driver"] = "octal"
    bad.write_text(yaml.safe_dump(data))
    with pytest.raises(ExtflashError) as e:
        boards.load_board_data(bad)
    assert "does not match boards-schema.yml" in str(e.value) and "octal" in str(e.value)


def test_board_data_with_an_unknown_soc_is_refused(tmp_path):
    bad = tmp_path / "boards.yml"
    data = yaml.safe_load(data_path("boards.yml").read_text())
    data["boards"][0]["targets"][0]["soc"] = "nrf99999"
    bad.write_text(yaml.safe_dump(data))
    with pytest.raises(ExtflashError, match="unknown soc 'nrf99999'"):
        boards.load_board_data(bad)


def test_loading_board_data_silences_pykwalify(tmp_path, capfd):
    bad = tmp_path / "boards.yml"
    shutil.copyfile(data_path("boards.yml"), bad)
    bad.write_text(bad.read_text().replace("netcore: false", "netcore: maybe", 1))
    with pytest.raises(ExtflashError):
        boards.load_board_data(bad)
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("text,name,rev,quals", [
    ("nrf52840dk_nrf52840", "nrf52840dk_nrf52840", None, ()),
    ("nrf52840dk/nrf52840", "nrf52840dk", None, ("nrf52840",)),
    ("nrf9160dk@0.14.0/nrf9160/ns", "nrf9160dk", "0.14.0", ("nrf9160", "ns")),
    ("nrf5340dk_nrf5340_cpuapp_ns", "nrf5340dk_nrf5340_cpuapp_ns", None, ()),
    ("nrf9160dk_nrf9160_ns@0.14.0", "nrf9160dk_nrf9160_ns", "0.14.0", ()),
])
def test_parse_target(text, name, rev, quals):
    t = boards.parse_target(text)
    assert (t.name, t.revision, t.qualifiers) == (name, rev, quals)


@pytest.mark.parametrize("text", [
    "../nrf52840dk", "nrf52840dk/../../etc", "/abs/board", "board/", "a//b", "a\\b",
    "a b", "nrf52840dk;rm", "x@0..1/y", "", "nrf52840dk/nrf52840\n", "$(id)", "brd@/x",
])
def test_parse_target_refuses_paths_and_odd_characters(text):
    with pytest.raises(UsageError) as e:
        boards.parse_target(text)
    assert "\n" not in str(e.value)


@given(st.text(max_size=40))
def test_parse_target_never_yields_a_path(text):
    try:
        target = boards.parse_target(text)
    except UsageError:
        return
    assert ".." not in text and "\\" not in text
    overlay = target.without_revision.replace("/", "_")
    assert "/" not in overlay and not overlay.startswith(".")


@pytest.mark.parametrize("text,overlay,v1,v2", [
    ("nrf52840dk/nrf52840", "nrf52840dk_nrf52840.overlay", "nrf52840dk_nrf52840",
     "nrf52840dk/nrf52840"),
    ("nrf9160dk@0.14.0/nrf9160/ns", "nrf9160dk_nrf9160_ns_0_14_0.overlay",
     "nrf9160dk_nrf9160_ns@0.14.0", "nrf9160dk@0.14.0/nrf9160/ns"),
    ("nrf9160dk_nrf9160_ns", "nrf9160dk_nrf9160_ns.overlay", "nrf9160dk_nrf9160_ns@0.14.0",
     "nrf9160dk/nrf9160/ns"),
    ("nrf5340dk_nrf5340_cpuapp_ns", "nrf5340dk_nrf5340_cpuapp_ns.overlay",
     "nrf5340dk_nrf5340_cpuapp_ns", "nrf5340dk/nrf5340/cpuapp/ns"),
    ("nrf54l15dk/nrf54l15/cpuapp", "nrf54l15dk_nrf54l15_cpuapp.overlay",
     "nrf54l15dk/nrf54l15/cpuapp", "nrf54l15dk/nrf54l15/cpuapp"),
])
def test_board_spellings_and_overlay_name(text, overlay, v1, v2):
    board = boards.resolve_board(text)
    assert board.overlay_name(True) == overlay
    assert board.spelling(False) == v1
    assert board.spelling(True) == v2


def test_nrf7002dk_nrf7001_variant_has_a_different_hwmv1_overlay_name():
    board = boards.resolve_board("nrf7002dk/nrf5340/cpuapp/nrf7001")
    assert board.overlay_name(True) == "nrf7002dk_nrf5340_cpuapp_nrf7001.overlay"
    assert board.overlay_name(False) == "nrf7002dk_nrf7001_nrf5340_cpuapp.overlay"


def test_board_facts_read_from_the_board_devicetrees():
    qspi = boards.resolve_board("nrf52840dk/nrf52840")
    assert (qspi.flash.node, qspi.flash.compatible, qspi.flash.driver) == \
        ("mx25r64", "nordic,qspi-nor", "qspi")
    assert qspi.flash.size == 0x800000 and not qspi.flash.needs_status_okay
    assert qspi.mcuboot_disables_driver["symbol"] == "CONFIG_NORDIC_QSPI_NOR"
    wifi = boards.resolve_board("nrf7002dk/nrf5340/cpuapp")
    assert wifi.flash.driver == "spi" and wifi.flash.bus == "spi4"
    assert wifi.mcuboot_disables_driver["symbol"] == "CONFIG_SPI_NOR"
    for target in ("nrf9160dk/nrf9160/ns", "nrf9161dk/nrf9161/ns", "nrf9151dk/nrf9151/ns"):
        board = boards.resolve_board(target)
        assert board.flash.driver == "spi" and board.flash.needs_status_okay
    assert boards.resolve_board("nrf9151dk/nrf9151/ns").flash.size == 0x2000000
    thingy = boards.resolve_board("thingy53/nrf5340/cpuapp")
    assert thingy.chosen_in_board(NcsVersion(2, 3), hwmv2=False)
    assert not thingy.chosen_in_board(NcsVersion(2, 2), hwmv2=False)
    l15 = boards.resolve_board("nrf54l15dk/nrf54l15/cpuapp")
    assert l15.soc.internal_flash_size == 0x17D000 and l15.soc.write_block == 16
    assert l15.min_ncs == NcsVersion(2, 8)


def test_nrf9161dk_revision_0_7_0_has_another_flash_node():
    board = boards.resolve_board("nrf9161dk@0.7.0/nrf9161/ns")
    assert board.flash.node == "gd25lb256" and not board.flash.needs_status_okay
    assert board.mcuboot_disables_driver["symbol"] == "CONFIG_SPI_NOR"
    assert boards.resolve_board("nrf9161dk/nrf9161/ns").mcuboot_disables_driver is None


def test_nrf9160dk_revision_0_7_0_is_refused_with_the_right_revision():
    with pytest.raises(BoardError) as e:
        boards.resolve_board("nrf9160dk@0.7.0/nrf9160/ns")
    assert "only from board revision 0.14.0" in str(e.value)
    assert "-b nrf9160dk@0.14.0/nrf9160/ns" in str(e.value)


def test_unknown_revision_is_refused():
    with pytest.raises(BoardError, match="no board revision 9.9.9"):
        boards.resolve_board("nrf9160dk@9.9.9/nrf9160/ns")


def test_board_without_external_flash_names_the_custom_options():
    with pytest.raises(BoardError) as e:
        boards.resolve_board("nrf21540dk/nrf52840")
    for option in boards.CUSTOM_OPTIONS:
        assert option in str(e.value)


def test_unknown_board_lists_the_known_ones():
    with pytest.raises(BoardError) as e:
        boards.resolve_board("nosuchboard/nrf52840")
    assert "nrf52840dk/nrf52840" in str(e.value) and "--flash-node" in str(e.value)


def test_known_board_with_wrong_qualifiers_lists_its_targets():
    with pytest.raises(BoardError, match="nrf5340dk/nrf5340/cpuapp, nrf5340dk/nrf5340/cpuapp/ns"):
        boards.resolve_board("nrf5340dk/nrf5340")


@pytest.mark.parametrize("text,value", [("4096", 4096), ("0x800000", 0x800000), ("8M", 8 << 20),
                                        ("8MiB", 8 << 20), ("4k", 4096), (" 4KB ", 4096)])
def test_parse_size(text, value):
    assert boards.parse_size(text, "--flash-size") == value


@pytest.mark.parametrize("text", ["", "big", "-1", "0", "8G", "0x", "1.5M"])
def test_parse_size_refuses(text):
    with pytest.raises(UsageError, match="--flash-size"):
        boards.parse_size(text, "--flash-size")


def test_custom_flash_needs_all_four_and_a_label():
    assert boards.custom_flash(None, None, None, None) is None
    with pytest.raises(UsageError, match="--flash-size, --erase-block missing"):
        boards.custom_flash("w25q", "spi", None, None)
    with pytest.raises(UsageError, match="not a devicetree label"):
        boards.custom_flash("&w25q", "spi", "4M", "4096")
    with pytest.raises(UsageError, match="not a power of two"):
        boards.custom_flash("w25q", "spi", "4M", "3000")


def test_custom_board_takes_its_soc_from_soc_not_from_its_name():
    custom = boards.custom_flash("w25q", "qspi", "16M", "4096")
    board = boards.resolve_board("myboard/nrf5340/cpuapp", custom, soc="nrf5340")
    assert board.custom and board.soc.id == "nrf5340_cpuapp"
    assert board.flash.compatible == "nordic,qspi-nor" and board.flash.needs_status_okay
    assert boards.resolve_board("myboard_nrf9160_ns", custom, soc="nrf9160").soc.id == "nrf9160"
    with pytest.raises(UsageError, match="--soc missing"):
        boards.resolve_board("myboard/nrf5340/cpuapp", custom)
    with pytest.raises(UsageError, match="not a SoC init knows"):
        boards.resolve_board("riscy/esp32", custom, soc="esp32")


def test_custom_options_override_a_known_board():
    custom = boards.custom_flash("ext", "spi", "16M", "4096")
    board = boards.resolve_board("nrf52840dk/nrf52840", custom)
    assert board.id == "nrf52840dk" and board.flash.node == "ext" and board.flash.driver == "spi"
