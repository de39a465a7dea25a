# SPDX-License-Identifier: GPL-2.0
# kthread.ko - the Hello Kernelthread Module in C++.
#
#   make [KDIR=/path/to/kernel/build]   build kthread.ko
#   make install                         modules_install + depmod
#   make clean
#   make demo [ROUNDTRIP=1]              the classic usage, in a QEMU VM, and its timeline
#   make check                           every test (host, static, VM, DKMS, the package, demo timeline)
#   make check-debug                     the VM suite on a KASAN and a KCSAN debug kernel
#   make fuzz [FUZZ_SECONDS=N]           trinity on both modules and crcfuzz on crcpool, debug kernel, N s per phase (600)
#   make soak [MINUTES=N]                both modules worked and reloaded at once on the debug
#                                        kernel for N minutes (60): figures a minute, memory flat?
#   make matrix                          the VM suite on every Debian kernel, 5.10 to 7.x
#   make bench                           C++ against a C twin, in one VM boot: table, JSON, plot
#   make dist                            build/kthread-cxx-<version>.tar.xz, the source tarball
#   make deb                             build/kthread-cxx-dkms_<version>_all.deb, lintian-clean
#   make deb-check [DEB_KERNEL=RELEASE]  install that package in a clean chroot of the Debian
#                                        release that carries the kernel, and test it
#   make crcpool                         build crcpool.ko, the library's second module (crcpool/)
#   make crcpool-demo                    crcpool.ko's usage, in a QEMU VM
#
# KDIR: scripts/kdir.sh picks it (the running kernel's build tree, else the
# newest generic /usr/src/linux-headers-*-amd64, not -rt or -cloud) and
# `make` says which. The version is debian/changelog's (see Kbuild).
#
# ARCH=arm64 (or aarch64) builds and tests for arm64: on another machine it
# cross-builds (CROSS_COMPILE=aarch64-linux-gnu- unless given) against
# Debian's arm64 headers, fetched into cache/ by scripts/arm64-kernel.sh
# the first time, and every VM target boots Debian's arm64 kernel in
# qemu-system-aarch64: make ARCH=arm64, make demo ARCH=arm64, make
# check-vm ARCH=arm64, make bench ARCH=arm64, make check-arm64 (a smoke:
# cross-build + one boot of the suite). Headers of another architecture
# than ARCH are refused.

SHELL := /bin/bash
ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

# Picked by scripts/kdir.sh (the one place; the scripts source it), once,
# and only when a target needs it.
ifeq ($(origin KDIR),undefined)
  KDIR = $(eval KDIR := $$(shell $(if $(ARCH),ARCH=$(ARCH) )$(ROOT)/scripts/kdir.sh 2>/dev/null))$(KDIR)
  KDIR_GIVEN :=
else
  KDIR_GIVEN := $(KDIR)
endif

# The architecture (kbuild's name), and the cross compiler when it is not
# the machine's: exported, so that kbuild and every script see them.
HOST_ARCH := $(shell uname -m | sed -e 's/^x86_64$$/x86/' -e 's/^aarch64$$/arm64/')
ifdef ARCH
  override ARCH := $(patsubst aarch64,arm64,$(patsubst amd64,x86,$(patsubst x86_64,x86,$(ARCH))))
  export ARCH
  ifneq ($(ARCH),$(HOST_ARCH))
    CROSS := 1
    CROSS_COMPILE ?= $(if $(filter arm64,$(ARCH)),aarch64-linux-gnu-,x86_64-linux-gnu-)
    export CROSS_COMPILE
  endif
endif

KBUILD_ARGS = -C $(KDIR) M=$(ROOT)

.PHONY: all modules clean install demo check check-host check-static check-vm \
	dkms-check check-debug fuzz soak matrix bench deps help deb deb-check dist \
	cross-tree check-arm64

.DEFAULT_GOAL := all

# Cross-building without KDIR: Debian's headers for ARCH, fetched into
# cache/ once (scripts/arm64-kernel.sh), unless some are already there.
cross-tree:
	$(if $(and $(CROSS),$(if $(KDIR_GIVEN),,1)),@$(ROOT)/scripts/kdir.sh >/dev/null 2>&1 || \
		$(ROOT)/scripts/arm64-kernel.sh >/dev/null)

# The modules of the library: kthread.ko and crcpool.ko (the top-level
# Kbuild makes both) and the example, examples/echo/echo.ko (built, never
# installed).
all modules: cross-tree
	@KDIR='$(KDIR_GIVEN)' $(ROOT)/scripts/kdir.sh --why
	$(MAKE) $(KBUILD_ARGS) modules
	$(MAKE) -C $(KDIR) M=$(ROOT)/examples/echo modules

install: all
	$(MAKE) $(KBUILD_ARGS) modules_install
	depmod -a $(notdir $(patsubst %/build,%,$(realpath $(KDIR))))  2>/dev/null || depmod -a

# Not kbuild's clean: with M= the whole checkout, it deletes every *.o,
# *.a, *.ko and .*.cmd below it, cache/ too (the chroots' libc, the fetched
# kernels' modules). The build's own products, outside cache/ and .git:
clean:
	find $(ROOT) \( -path $(ROOT)/cache -o -path $(ROOT)/.git \) -prune -o -type f \
		\( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' -o -name '.*.cmd' \
		-o -name '.*.d' -o -name Module.symvers -o -name modules.order -o -name kcxx-offsets.s \
		-o \( -name kcxx_offsets.h ! -path '*/tests/fake/*' \) \) -print0 | xargs -0r rm -f
	rm -rf build tests/host/build

deps: cross-tree
	@scripts/deps.sh $(if $(filter arm64,$(ARCH)),arm64)

demo: deps
	@scripts/demo.sh $(if $(filter 1,$(ROUNDTRIP)),--roundtrip)

check: deps
	@scripts/check.sh

check-host: deps
	scripts/check-host.sh

check-static: deps
	scripts/check-static.sh

check-vm: deps
	tests/vm/run-suite.sh

dkms-check: deps
	scripts/dkms-check.sh

check-debug: deps
	scripts/deps.sh debug
	scripts/check-debug.sh

fuzz: deps
	scripts/deps.sh fuzz
	$(if $(FUZZ_SECONDS),FUZZ_SECONDS=$(FUZZ_SECONDS)) $(if $(FUZZ_ROUND),FUZZ_ROUND=$(FUZZ_ROUND)) \
	  $(if $(FUZZ_SEED),FUZZ_SEED=$(FUZZ_SEED)) scripts/fuzz.sh

# The debug kernel's build needs what check-debug's does.
soak: deps
	scripts/deps.sh debug
	$(if $(MINUTES),MINUTES=$(MINUTES)) scripts/soak.sh

matrix: deps
	scripts/matrix.sh

bench: deps
	@scripts/bench.sh

deb: deps
	@scripts/deb.sh

deb-check: deps
	@scripts/deb-check.sh $(if $(DEB_KERNEL),--kernel $(DEB_KERNEL))

dist:
	@scripts/dist.sh

# crcpool.ko, the second module on the C++ kernel layer: its own folder and
# Kbuild, built beside kthread.ko and tested in the same VM boot.
.PHONY: crcpool crcpool-demo
crcpool: cross-tree
	@KDIR='$(KDIR_GIVEN)' $(ROOT)/scripts/kdir.sh --why
	$(MAKE) -C $(KDIR) M=$(ROOT)/crcpool modules

crcpool-demo: deps
	@scripts/crcpool-demo.sh

# The arm64 port's smoke, for CI: cross-build both modules and run the VM
# suite once on Debian's arm64 kernel (a reduced run: a few minutes of TCG).
check-arm64:
	@scripts/deps.sh arm64
	@scripts/check-arm64.sh

help:
	@sed -n '2,34p' Makefile
