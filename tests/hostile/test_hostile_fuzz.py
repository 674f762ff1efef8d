"""Property-based fuzzing of every loader: whatever the bytes, a loader
returns a result or raises the project's ExtflashError family (which the
command turns into one line and exit 2); never any other exception, never a
hang. Inputs are drawn both as arbitrary text and from the token grammar of
each format, so that most examples get past the first syntax error.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extflash import kconfig
from extflash.errors import ExtflashError

FUZZ = settings(max_examples=int(os.environ.get("EXTFLASH_FUZZ_EXAMPLES", "300")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def tokens(*parts: str, max_size: int = 60):
    return st.lists(st.sampled_from(parts), max_size=max_size).map("".join)


def text_or_tokens(grammar):
    return st.one_of(st.text(max_size=400), grammar,
                     st.binary(max_size=300).map(lambda b: b.decode("latin-1")))


def returns_or_extflash_error(fn, *args):
    try:
        return fn(*args)
    except ExtflashError as e:
        text = str(e)
        assert text and "\n" not in text.strip(), text
        assert "Traceback" not in text
        return None


# ------------------------------------------------------------------ Kconfig

KCONFIG = tokens("CONFIG_", "SB_CONFIG_", "FOO", "BAR_1", "=", "y", "n", "0x1000", "-1", '"',
                 '\\"', "\\", "# ", " is not set", "\n", "\r\n", "\r", " ", "\t", "#", "=\"x\"",
                 "é", "\x00", "\ufeff")


@FUZZ
@given(text_or_tokens(KCONFIG))
def test_kconfig_parse_never_raises(text):
    result = kconfig.parse(text)
    # every non-blank, non-comment line is either an assignment or malformed
    lines = {a.line for a in result.assignments} | {n for n, _ in result.malformed}
    # Kconfig's lines: only CR, LF and CRLF end one (kconfiglib reads with
    # universal newlines); "\x1e" or U+2028 is inside a line, not a break
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        s = line.strip()
        if s and not s.startswith("#"):
            assert number in lines
    for a in result.assignments:
        kconfig.decode(a.raw)  # decoding a value never raises either
    assert isinstance(result.values, dict)


@FUZZ
@given(st.one_of(st.booleans(), st.integers(), st.text(max_size=50)))
def test_kconfig_encode_decode_round_trip(value):
    decoded = kconfig.decode(kconfig.encode(value))
    if isinstance(value, str):
        # a string that looks like y/n/number is still written quoted, so it
        # comes back as the same string
        assert decoded == value
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        # wider than the C Kconfig tools' 64-bit ints: kept as written
        assert decoded == kconfig.encode(value)
    else:
        assert decoded == value


# --------------------------------------------------------------------- YAML

YAML = tokens("mcuboot", "app", "external_flash", ":", ": ", " ", "  ", "\n", "\t", "- ", "&a ",
              "*a", "*b", "&b ", "!!int ", "!!float ", "!!timestamp ", "!!bool ", "!!binary ",
              "!!python/object:os.system ", "!!set ", "!!omap ", "!foo ", "{", "}", "[", "]",
              ", ", "0x", "0xf4000", "-1", "2001-13-45", "1_0", "190:20:30", "'", '"', "? ",
              "<<: ", "---\n", "...\n", "%YAML 1.1\n", "|\n", ">\n", "# c\n", "~", "null",
              "address", "size", "region", "span", "9" * 30)


@FUZZ
@given(text_or_tokens(YAML))
def test_yaml_loader_never_raises_anything_else(text):
    from extflash.loaders.pm_yaml import memory_map, parse_yaml

    data = returns_or_extflash_error(parse_yaml, text, "partitions.yml", "partitions.yml")
    # whatever parsed, turning it into the model never raises
    memory_map("", data, "partitions.yml", data, "regions.yml")


@FUZZ
@given(text_or_tokens(YAML))
def test_schema_validation_never_raises(text):
    from extflash.loaders.pm_yaml import parse_yaml
    from extflash.loaders.schema import validate

    data = returns_or_extflash_error(parse_yaml, text, "partitions.yml", "partitions.yml")
    for schema in ("partitions", "regions", "domains"):
        problems = validate(data, schema)
        assert all(isinstance(p, str) and isinstance(m, str) for p, m in problems)


@FUZZ
@given(text_or_tokens(YAML))
def test_domains_loader_never_raises_anything_else(text):
    from extflash.loaders.domains import load_domains

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "domains.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        returns_or_extflash_error(load_domains, path)


# ------------------------------------------------- pm.config and pm_config.h

PM = tokens("#define ", "# define ", "PM_", "MCUBOOT_", "SECONDARY_", "ADDRESS", "SIZE", "=", " ",
            "0x", "f4000", "u", "UL", "DT_CHOSEN(nordic_pm_ext_flash)", '"app mcuboot"', "\n",
            "\r\n", "\\\n", "/*", "*/", "-", "9" * 30)


@FUZZ
@given(text_or_tokens(PM))
def test_pm_config_parsers_never_raise(text):
    from extflash.loaders.pm_config import macro_int, parse_pm_config, parse_pm_header

    for values in (parse_pm_config(text), parse_pm_header(text)):
        for value in values.values():
            result = macro_int(value)
            assert result is None or isinstance(result, int)


# --------------------------------------------------------------- CMakeCache

CMAKE = tokens("BOARD", "CACHED_BOARD", "APP_DIR", ":", "STRING", "BOOL", "INTERNAL", "=", "ON",
               "nrf52840dk/nrf52840", "//", "#", "\n", "\r\n", " ", "-", ";")


@FUZZ
@given(text_or_tokens(CMAKE))
def test_cmake_cache_parser_never_raises(text):
    from extflash.loaders.cmake_cache import parse_cmake_cache

    assert isinstance(parse_cmake_cache(text), dict)


# --------------------------------------------------------------- devicetree

DTS = tokens("/dts-v1/;\n", "/ {", "};\n", "}", "{", ";", "\n", " ", "flash0: ", "mx25r64: ",
             "qspi@2b000 ", "mx25r6435f@0 ", "chosen ", "partitions ", "slot1_partition: ",
             "partition@0 ", 'compatible = "nordic,qspi-nor";', 'compatible = "jedec,spi-nor";',
             'compatible = "fixed-partitions";', "#address-cells = <1>;", "#size-cells = <1>;",
             "#address-cells = <0>;", "reg = <0x0 0x1000>;", "reg = <0x0>;", "reg = [00 01];",
             'status = "disabled";', 'status = "okay";', "nordic,pm-ext-flash = &mx25r64;",
             "nordic,pm-ext-flash = &nosuchlabel;", 'zephyr,flash = "/soc";',
             "size = <67108864>;", "size = /bits/ 64 <1>;", "erase-block-size = <4096>;",
             "&mx25r64 { };", "/delete-node/ &mx25r64;", "/delete-property/ status;",
             "/memreserve/ 0 1;", "<&mx25r64>", "(1 + 2)", "'a'", "\\", '"', "/* ", " */",
             "// c\n", "é", "\x00")


@FUZZ
@given(text_or_tokens(DTS))
def test_devicetree_loader_never_raises_anything_else(text):
    from extflash.loaders.devicetree import load_devicetree

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "zephyr.dts"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        returns_or_extflash_error(load_devicetree, path, "zephyr/zephyr.dts")


@pytest.mark.parametrize("data", [b"\xff\xfe\x00", b"\x00" * 10, "é".encode("latin-1")])
def test_devicetree_loader_binary_or_latin1(tmp_path, data):
    from extflash.loaders.devicetree import load_devicetree

    path = tmp_path / "zephyr.dts"
    path.write_bytes(b"/dts-v1/;\n/ { x = \"" + data + b"\"; };\n")
    returns_or_extflash_error(load_devicetree, path, "zephyr/zephyr.dts")
