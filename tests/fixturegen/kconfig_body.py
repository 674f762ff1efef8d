"""``.config`` text as Kconfig writes it: the header, ``#`` section titles,
``CONFIG_X=value`` and ``# CONFIG_X is not set`` lines. The body is a
believable subset of what a Zephyr/NCS image resolves (SoC, board, kernel,
drivers, logging); the symbols the checks read come from the spec and win
over the body.
"""

from __future__ import annotations

# (section title, ((symbol without prefix, value), ...)); value True -> y,
# False -> "is not set", int -> decimal, str starting with 0x -> hex as is,
# other str -> quoted
_COMMON = (
    ("Devicetree "
     "Info", (("DT_HAS_ARM_ARMV7M_ITM_ENABLED", True), ("DT_HAS_FIXED_PARTITIONS_ENABLED", True),
                         ("DT_HAS_GPIO_KEYS_ENABLED", True), ("DT_HAS_GPIO_LEDS_ENABLED", True),
                         ("DT_HAS_MMIO_SRAM_ENABLED", True), ("DT_HAS_SOC_NV_FLASH_ENABLED",
                                                              True))),
    ("Modules", (("ZEPHYR_CMSIS_MODULE", True), ("ZEPHYR_HAL_NORDIC_MODULE", True),
                 ("ZEPHYR_MCUBOOT_MODULE", True), ("ZEPHYR_NRF_MODULE", True),
                 ("ZEPHYR_NRFXLIB_MODULE", True), ("ZEPHYR_MBEDTLS_MODULE", True),
                 ("ZEPHYR_TRUSTED_FIRMWARE_M_MODULE", True), ("ZEPHYR_SEGGER_MODULE", True),
                 ("HAS_SEGGER_RTT", True), ("ZEPHYR_CJSON_MODULE", True))),
    ("Board Options", (("BOARD_ENABLE_DCDC", True), ("GPIO_AS_PINRESET", True))),
    ("Hardware "
     "Configuration", (("CPU_HAS_ARM_MPU", True), ("HAS_SWO", True), ("SOC_COMPATIBLE_NRF", True),
                                ("HAS_NRFX", True), ("NRFX_CLOCK", True), ("NRFX_GPIOTE", True),
                                ("NRFX_NVMC", True), ("NRFX_PPI", False))),
    ("General Kernel Options", (("MULTITHREADING", True), ("NUM_COOP_PRIORITIES", 16),
                                ("NUM_PREEMPT_PRIORITIES", 15), ("MAIN_THREAD_PRIORITY", 0),
                                ("COOP_ENABLED", True), ("PREEMPT_ENABLED", True),
                                ("PRIORITY_CEILING", -127), ("IDLE_STACK_SIZE", 320),
                                ("ISR_STACK_SIZE", 2048), ("THREAD_STACK_INFO", True),
                                ("ERRNO", True), ("SCHED_DUMB", True), ("WAITQ_DUMB", True),
                                ("SYSTEM_WORKQUEUE_STACK_SIZE", 1024), ("SYS_CLOCK_EXISTS", True),
                                ("TIMESLICING", True), ("POLL", False), ("KERNEL_MEM_POOL", True),
                                ("HEAP_MEM_POOL_SIZE", 0))),
    ("Device Drivers", (("CLOCK_CONTROL", True), ("CLOCK_CONTROL_NRF", True), ("CONSOLE", True),
                        ("UART_CONSOLE", True), ("SERIAL", True), ("SERIAL_HAS_DRIVER", True),
                        ("UART_NRFX", True), ("GPIO", True), ("GPIO_NRFX", True), ("PINCTRL", True),
                        ("PINCTRL_NRF", True), ("ENTROPY_GENERATOR", False), ("I2C", False),
                        ("PWM", False), ("WATCHDOG", False), ("SENSOR", False),
                            ("USB_DEVICE_STACK", False),
                        ("FLASH_HAS_DRIVER_ENABLED", True), ("FLASH_HAS_PAGE_LAYOUT", True),
                        ("FLASH_HAS_EXPLICIT_ERASE", True), ("FLASH_PAGE_LAYOUT", True),
                        ("FLASH_INIT_PRIORITY", 50))),
    ("Logging", (("LOG", True), ("LOG_DEFAULT_LEVEL", 3), ("LOG_MODE_DEFERRED", True),
                 ("LOG_BACKEND_UART", True), ("LOG_BUFFER_SIZE", 1024), ("LOG_PRINTK", True))),
    ("Build and Link Features", (("SIZE_OPTIMIZATIONS", True), ("COMPILER_OPT", ""),
                                 ("LINKER_ORPHAN_SECTION_WARN", True), ("BUILD_OUTPUT_HEX", True),
                                 ("BUILD_OUTPUT_BIN", True), ("BUILD_OUTPUT_META", False),
                                 ("CHECK_INIT_PRIORITIES", True), ("WARN_DEPRECATED", True))),
    ("C Library", (("PICOLIBC", True), ("PICOLIBC_USE_MODULE", True), ("NEWLIB_LIBC", False),
                   ("MINIMAL_LIBC", False))),
    ("Partition Manager", (("PARTITION_MANAGER_ENABLED", True), ("FLASH_MAP_CUSTOM", True),
                           ("SRAM_SIZE", 256), ("SRAM_BASE_ADDRESS", "0x20000000"),
                           ("PM_SINGLE_IMAGE", False), ("PM_EXTERNAL_FLASH_BASE", "0x0"))),
)


def _line(symbol: str, value) -> str:
    if value is True:
        return f"{symbol}=y"
    if value is False or value is None:
        return f"# {symbol} is not set"
    if isinstance(value, int):
        return f"{symbol}={value}"
    if isinstance(value, str) and (value.startswith("0x") or value.lstrip("-").isdigit()):
        return f"{symbol}={value}"
    return f'{symbol}="{value}"'


def config_text(settings: dict, *, prefix: str = "CONFIG_", title: str = "Zephyr Kernel "
                                                                         "Configuration",
                version: str = "4.1.99", body: bool = True) -> str:
    """settings: symbol (with prefix) -> value; they are written in a
    leading section and override the same symbols of the body."""
    lines = ["#", "# Automatically generated file; DO NOT EDIT.", f"# {title} {version}", "#"]
    written = set()
    lines += ["", "#", "# Image configuration", "#"]
    for symbol, value in settings.items():
        lines.append(_line(symbol, value))
        written.add(symbol)
    if body:
        for section, entries in _COMMON:
            lines += ["", "#", f"# {section}", "#"]
            for name, value in entries:
                symbol = prefix + name
                if symbol not in written:
                    lines.append(_line(symbol, value))
                    written.add(symbol)
            lines.append(f"# end of {section}")
    return "\n".join(lines) + "\n"


def sysbuild_config_text(settings: dict, version: str) -> str:
    return config_text(settings, prefix="SB_CONFIG_", title="Sysbuild Configuration",
                       version=version, body=False)


def cmake_cache_text(entries: list[tuple[str, str, str]], build_dir: str) -> str:
    """``(name, type, value)`` entries in CMake's cache file format."""
    lines = ["# This is the CMakeCache file.", f"# For build in directory: {build_dir}",
             "# It was generated by CMake: /usr/bin/cmake",
             "# You can edit this file to change values found and used by cmake.",
             "# KEY:TYPE=VALUE", "", "########################", "# EXTERNAL cache entries",
             "########################", ""]
    for name, kind, value in entries:
        lines += [f"//{name.replace('_', ' ').lower()}", f"{name}:{kind}={value}", ""]
    return "\n".join(lines) + "\n"
