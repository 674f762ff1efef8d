"""Stand-in board devicetrees for the devicetree-partition tests and
fixtures: the nodes NCS 3.4 board files give the flash devices MCUboot uses,
with the default partitions the memory map replaces.

Modelled on (node names, compatibles, sizes):

- nRF52840 DK: zephyr ``boards/nordic/nrf52840dk/nrf52840dk_nrf52840.dts``
  (``&qspi { mx25r64: mx25r6435f@0 { compatible = "nordic,qspi-nor";
  size = <67108864>; } }``), ``dts/vendor/nordic/nrf52840_partition.dtsi``
  (boot 0xc000, slot0/slot1 0x76000, storage 0x8000 at 0xf8000);
  flash0 erase 4096 / write 4.
- nRF5340 DK: ``nrf5340_cpuapp_common.dtsi`` (``qspi@2b000``, mx25r64) and
  ``dts/vendor/nordic/nrf5340_cpuapp_partition.dtsi`` (boot 0x10000, slots
  0x74000).
- nRF54L15 DK: ``dts/vendor/nordic/nrf54l_05_10_15.dtsi`` (``rram_controller:
  rram-controller@5004b000``, ``cpuapp_rram: rram@0`` soc-nv-flash, erase
  4096 / write 16), ``nrf54l15.dtsi`` (1524 KiB), mx25r64 ``jedec,spi-nor`` on
  ``spi00``; ``nrf54l15_cpuapp_partition.dtsi`` default slots.

Only what the memory map and the checks touch is modelled; the texts are
written from those facts, not copied.
"""

from __future__ import annotations

_NRF52840 = """\
/dts-v1/;

/ {
	#address-cells = <1>;
	#size-cells = <1>;
	model = "Nordic nRF52840 DK NRF52840";
	compatible = "nordic,nrf52840-dk-nrf52840";

	chosen {
		zephyr,flash = &flash0;
		zephyr,code-partition = &slot0_partition;
	};

	soc {
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;

		flash_controller: flash-controller@4001e000 {
			compatible = "nordic,nrf52-flash-controller";
			reg = <0x4001e000 0x1000>;
			#address-cells = <1>;
			#size-cells = <1>;

			flash0: flash@0 {
				compatible = "soc-nv-flash";
				erase-block-size = <4096>;
				write-block-size = <4>;
				reg = <0x0 0x100000>;
				ranges = <0x0 0x0 0x100000>;
				#address-cells = <1>;
				#size-cells = <1>;

				partitions {
					compatible = "fixed-partitions";
					#address-cells = <1>;
					#size-cells = <1>;

					boot_partition: partition@0 {
						label = "mcuboot";
						reg = <0x0 0xc000>;
					};
					slot0_partition: partition@c000 {
						label = "image-0";
						reg = <0xc000 0x76000>;
					};
					slot1_partition: partition@82000 {
						label = "image-1";
						reg = <0x82000 0x76000>;
					};
					storage_partition: partition@f8000 {
						label = "storage";
						reg = <0xf8000 0x8000>;
					};
				};
			};
		};

		qspi: qspi@40029000 {
			compatible = "nordic,nrf-qspi";
			#address-cells = <1>;
			#size-cells = <0>;
			reg = <0x40029000 0x1000>, <0x12000000 0x8000000>;
			reg-names = "qspi", "qspi_mm";
			status = "okay";

			mx25r64: mx25r6435f@0 {
				compatible = "nordic,qspi-nor";
				reg = <0>;
				writeoc = "pp4io";
				readoc = "read4io";
				sck-frequency = <8000000>;
				jedec-id = [c2 28 17];
				size = <67108864>;
			};
		};
	};
};
"""

_SLOT = 'partition@{at} {{\n\t\t\t\t\t\tlabel = "{name}";\n\t\t\t\t\t\treg = <0x{at} {size}>;'
_SLOT0_52840 = _SLOT.format(at="c000", name="image-0", size="0x76000")
_SLOT0_5340 = _SLOT.format(at="10000", name="image-0", size="0x74000")
_SLOT1_52840 = _SLOT.format(at="82000", name="image-1", size="0x76000")
_SLOT1_5340 = _SLOT.format(at="84000", name="image-1", size="0x74000")

_NRF5340 = (_NRF52840
            .replace("Nordic nRF52840 DK NRF52840", "Nordic NRF5340 DK NRF5340 Application")
            .replace("nordic,nrf52840-dk-nrf52840", "nordic,nrf5340-dk-nrf5340-cpuapp")
            .replace("flash-controller@4001e000", "flash-controller@39000")
            .replace("<0x4001e000 0x1000>", "<0x39000 0x1000>")
            .replace("nordic,nrf52-flash-controller", "nordic,nrf53-flash-controller")
            .replace("qspi@40029000", "qspi@2b000")
            .replace("<0x40029000 0x1000>, <0x12000000 0x8000000>",
                     "<0x2b000 0x1000>, <0x10000000 0x10000000>")
            .replace("reg = <0x0 0xc000>;", "reg = <0x0 0x10000>;")
            .replace(_SLOT0_52840, _SLOT0_5340)
            .replace(_SLOT1_52840, _SLOT1_5340))

_NRF54L15 = """\
/dts-v1/;

/ {
	#address-cells = <1>;
	#size-cells = <1>;
	model = "Nordic nRF54L15 DK nRF54L15 Application MCU";
	compatible = "nordic,nrf54l15dk_nrf54l15-cpuapp";

	chosen {
		zephyr,flash = &cpuapp_rram;
		zephyr,code-partition = &slot0_partition;
	};

	soc {
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;

		rram_controller: rram-controller@5004b000 {
			compatible = "nordic,rram-controller";
			reg = <0x5004b000 0x1000>;
			#address-cells = <1>;
			#size-cells = <1>;

			cpuapp_rram: rram@0 {
				compatible = "soc-nv-flash";
				erase-block-size = <4096>;
				write-block-size = <16>;
				reg = <0x0 0x17d000>;
				ranges = <0x0 0x0 0x17d000>;
				#address-cells = <1>;
				#size-cells = <1>;

				partitions {
					compatible = "fixed-partitions";
					#address-cells = <1>;
					#size-cells = <1>;
					ranges;

					boot_partition: partition@0 {
						label = "mcuboot";
						reg = <0x0 0x10000>;
					};
					slot0_partition: partition@10000 {
						label = "image-0";
						reg = <0x10000 0xb2000>;
					};
					slot1_partition: partition@c2000 {
						label = "image-1";
						reg = <0xc2000 0xb2000>;
					};
					storage_partition: partition@174000 {
						label = "storage";
						reg = <0x174000 0x9000>;
					};
				};
			};
		};

		global_peripherals: peripheral@50000000 {
			#address-cells = <1>;
			#size-cells = <1>;
			ranges = <0x0 0x50000000 0x10000000>;

			spi00: spi@4a000 {
				compatible = "nordic,nrf-spim";
				#address-cells = <1>;
				#size-cells = <0>;
				reg = <0x4a000 0x1000>;
				status = "okay";

				mx25r64: mx25r6435f@0 {
					compatible = "jedec,spi-nor";
					reg = <0>;
					spi-max-frequency = <8000000>;
					jedec-id = [c2 28 17];
					size = <67108864>;
				};
			};
		};
	};
};
"""

# nRF91 Series (secure target): sdk-zephyr dts/vendor/nordic/nrf91xx_partition.dtsi
# @b0fbb649 (the NCS 2026 default partitions: slot0 "image-0-secure" 0x0+0x8000,
# slot0_ns 0x8000+0xf0000, storage 0xf8000+0x8000), flash0 1 MiB in the flash
# controller at 0x39000 (nrf91.dtsi), the DK's NOR as jedec,spi-nor on spi3
# (nrf9160dk 0.14.0: mx25r64; nRF9161/9151 DK: gd25wb256, 32 MiB).
_NRF91 = """\
/dts-v1/;

/ {
	#address-cells = <1>;
	#size-cells = <1>;
	model = "Nordic nRF91 DK";

	chosen {
		zephyr,flash = &flash0;
		zephyr,code-partition = &slot0_partition;
	};

	soc {
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;

		peripheral@50000000 {
			#address-cells = <1>;
			#size-cells = <1>;
			ranges = <0x0 0x50000000 0x10000000>;

			flash_controller: flash-controller@39000 {
				compatible = "nordic,nrf91-flash-controller";
				reg = <0x39000 0x1000>;
				#address-cells = <1>;
				#size-cells = <1>;

				flash0: flash@0 {
					compatible = "soc-nv-flash";
					erase-block-size = <4096>;
					write-block-size = <4>;
					reg = <0x0 0x100000>;

					partitions {
						compatible = "fixed-partitions";
						#address-cells = <1>;
						#size-cells = <1>;

						slot0_partition: partition@0 {
							label = "image-0-secure";
							reg = <0x0 0x8000>;
						};
						slot0_ns_partition: partition@8000 {
							label = "image-0-nonsecure";
							reg = <0x8000 0xf0000>;
						};
						storage_partition: partition@f8000 {
							label = "storage";
							reg = <0xf8000 0x8000>;
						};
					};
				};
			};

			spi3: spi@b000 {
				compatible = "nordic,nrf-spim";
				#address-cells = <1>;
				#size-cells = <0>;
				reg = <0xb000 0x1000>;
				status = "okay";

				NORLABEL: NORNODE@0 {
					compatible = "jedec,spi-nor";
					reg = <0>;
					spi-max-frequency = <8000000>;
					size = <NORBITS>;
				};
			};
		};
	};
};
"""

SOC2BASE = {
    "nrf52840": _NRF52840, "nrf5340_cpuapp": _NRF5340, "nrf54l15_cpuapp": _NRF54L15,
    "nrf9160": _NRF91.replace("NORLABEL", "mx25r64").replace("NORNODE", "mx25r6435f")
                     .replace("NORBITS", "67108864"),
    "nrf9161": _NRF91.replace("NORLABEL", "gd25wb256").replace("NORNODE", "gd25wb256e3ir")
                     .replace("NORBITS", "268435456"),
}
SOC2BASE["nrf9151"] = SOC2BASE["nrf9161"]

SIM_FLASH = """
/ {
	soc {
		nordic_ram_flash_controller: nordic_ram-flash-controller@0 {
			compatible = "zephyr,sim-flash";
			reg = <0x0 0x1000>;
			#address-cells = <1>;
			#size-cells = <1>;
			erase-value = <0xff>;

			flash_sim0: flash_sim@0 {
				compatible = "soc-nv-flash";
				erase-block-size = <4096>;
				write-block-size = <4>;
				reg = <0x0 0x40000>;

				partitions {
					compatible = "fixed-partitions";
					#address-cells = <1>;
					#size-cells = <1>;

					slot2_partition: partition@0 {
						label = "image-2";
						reg = <0x0 0x40000>;
					};
				};
			};
		};
	};
};
"""
"""The nRF5340 MCUboot image's RAM "flash" for the network-core update,
modelled on sdk-nrf ``modules/mcuboot/flash_sim_pm.overlay`` /
``flash_sim_mcuboot.overlay`` (enabled: status okay)."""


def chosen_overlay(code_partition: str) -> str:
    return f"\n/ {{\n\tchosen {{\n\t\tzephyr,code-partition = &{code_partition};\n\t}};\n}};\n"
