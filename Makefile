# SPDX-License-Identifier: GPL-2.0
# kthread.ko - the Hello Kernelthread Module in C++.
#
#   make [KDIR=/path/to/kernel/build]   build kthread.ko
#   make install                         modules_install + depmod
#   make clean
#   make demo                            the classic usage, in a QEMU VM
#   make check                           every test (host, static, VM, DKMS)
#   make check-debug                     the VM suite on a lockdep/KASAN/kmemleak kernel
#   make fuzz [FUZZ_SECONDS=N]           trinity on the debug kernel, N s per mode (600)
#   make matrix                          the VM suite on every Debian kernel, 5.10 to 7.x
#   make bench                           C++ against a C twin, in one VM boot: table, JSON, plot
#
# KDIR defaults to the running kernel's build tree; where that does not
# exist (a container, a non-Debian kernel) the newest installed Debian
# headers are used instead, and the build says so.

SHELL := /bin/bash
ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
ifeq ($(origin KDIR),undefined)
  ifneq ($(wildcard $(RUNNING_KDIR)/Makefile),)
    KDIR := $(RUNNING_KDIR)
  else
    KDIR := $(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64)))
    KDIR_NOTE := no build tree for the running kernel $(shell uname -r); using $(KDIR)
  endif
endif

KBUILD_ARGS := -C $(KDIR) M=$(ROOT)

.PHONY: all modules clean install demo check check-host check-static check-vm \
	dkms-check check-debug fuzz matrix bench deps help

all modules:
	@$(if $(KDIR_NOTE),echo "note: $(KDIR_NOTE)";) \
	 test -f "$(KDIR)/Makefile" || { echo "error: no kernel build tree at KDIR='$(KDIR)'; install linux-headers-amd64 or pass KDIR=" >&2; exit 1; }
	$(MAKE) $(KBUILD_ARGS) modules

install: all
	$(MAKE) $(KBUILD_ARGS) modules_install
	depmod -a $(notdir $(patsubst %/build,%,$(realpath $(KDIR))))  2>/dev/null || depmod -a

clean:
	@if [ -f "$(KDIR)/Makefile" ]; then $(MAKE) $(KBUILD_ARGS) clean; fi
	rm -rf build tests/host/build

deps:
	scripts/deps.sh

demo: deps
	scripts/demo.sh

check: deps
	scripts/check.sh

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

matrix: deps
	scripts/matrix.sh

bench: deps
	scripts/bench.sh

help:
	@sed -n '2,16p' Makefile
