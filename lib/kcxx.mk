# SPDX-License-Identifier: GPL-2.0
# kcxx.mk - the C++ kernel layer (lib/) for a module's Kbuild file.
#
# Set cxx-objs (the module's C++ objects) and include this file; it gives
#   kcxx-objs        the C boundary (lib/shim/<header>.c), compiled into the
#                    module's own directory as kcxx-<header>.o: add them to
#                    <module>-y
#   kcxx-timed-objs  the timed and interruptible waits, for modules that
#                    call them
#   kcxx-write-objs  write(): copy_from_user() (kernel/UserCopy.h) and
#                    kvmalloc() (kernel/ByteBuffer.h), for modules that
#                    take writes
# (A module links only the helpers it calls: a helper it does not call
# would be code and records in its .ko for nothing; one it calls but does
# not link is an undefined symbol at modpost.)
# and compiles the C++ with kbuild's own C rule. A Kbuild file in any folder
# can include it: the library's sources are found from this file's place.
kcxx-lib := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

kcxx-headers := slab completion wait spinlock mutex bug kernel kthread printk sysfs \
	cdev device uio kernel_api_check
kcxx-objs := $(addprefix kcxx-,$(addsuffix .o,$(kcxx-headers)))
kcxx-timed-objs := kcxx-timed_waits.o
kcxx-write-objs := kcxx-uaccess_write.o kcxx-mm.o

# Source paths the module keeps (the file of a WARN) name the library
# as lib/..., wherever the tree was built, as the kernel's own are
# relative to its source tree: a .ko does not change with its build folder.
ccflags-y += $(call cc-option,-fmacro-prefix-map=$(kcxx-lib)/=lib/)

# As kbuild's own %.o: %.c rule, sparse included (C=2 checks every file).
$(obj)/kcxx-%.o: $(kcxx-lib)/shim/%.c FORCE
	$(call if_changed_rule,cc_o_c)
	$(call cmd,force_checksrc)

# The struct offsets kernel/Field.h reads fields at: lib/shim/offsets.c
# compiled to assembly against the kernel's headers, each OFFSET() a line
# of kcxx_offsets.h, by the rules the kernel makes asm-offsets.h with.
$(obj)/kcxx-offsets.s: $(kcxx-lib)/shim/offsets.c FORCE
	$(call if_changed_dep,cc_s_c)
$(obj)/kcxx_offsets.h: $(obj)/kcxx-offsets.s FORCE
	$(call filechk,offsets,KCXX_OFFSETS_H)
targets += kcxx-offsets.s kcxx_offsets.h
clean-files += kcxx-offsets.s kcxx_offsets.h
$(addprefix $(obj)/,$(cxx-objs)): $(obj)/kcxx_offsets.h

# The C++ objects go through kbuild's own C rule (objtool, modversions,
# fixdep, ftrace's mcount records, retpoline/rethunk flags all follow the
# kernel's configuration) with only the compiler and the flags swapped.
CXX_FOR_KERNEL ?= $(subst clang,clang++,$(subst gcc,g++,$(CC)))

# Options of the kernel's C flags that are C-only (g++ rejects or warns).
# -Wno-unterminated-string-initialization: Linux 6.15+ built with gcc >= 15.
cxx-c-only := -std=% -Wdeclaration-after-statement -Wstrict-prototypes \
	-Wmissing-prototypes -Wold-style-definition -Wimplicit-function-declaration \
	-Wimplicit-int -Wno-pointer-sign -Wpointer-sign -Wno-override-init \
	-Wmissing-parameter-type -Wnested-externs -Wbad-function-cast \
	-Werror=strict-prototypes -Werror=implicit-function-declaration \
	-Werror=implicit-int -Werror=incompatible-pointer-types \
	-Werror=designated-init -Werror=int-conversion \
	-Wno-unterminated-string-initialization \
	-fplugin=% -fplugin-arg-% -D%_PLUGIN

cxx-flags := -std=gnu++20 -nostdinc++ -fno-exceptions -fno-rtti -fcheck-new \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-gnu-unique \
	-I$(kcxx-lib) -I$(obj)

# arm64: GCC's default outline atomics make every __atomic builtin a call
# to a libgcc helper (__aarch64_ldadd8_acq_rel, ...) that the kernel does
# not have (modpost: undefined); inline LL/SC loops instead, as the
# kernel's own are. (kernel/Atomic.h writes its fully ordered ones itself.)
ifdef CONFIG_ARM64
cxx-flags += -mno-outline-atomics
endif

# pahole cannot encode C++ debug info into BTF (reference types, template
# parameters: "Unsupported DW_TAG_reference_type"), and where kbuild makes BTF
# for modules (CONFIG_DEBUG_INFO_BTF_MODULES with a vmlinux in the build tree,
# as Debian's headers ship from 6.12 on) the module build fails. There the
# C++ objects are built without debug info; the C shim keeps its BTF.
ifdef CONFIG_DEBUG_INFO_BTF_MODULES
ifneq ($(wildcard $(objtree)/vmlinux),)
cxx-flags += -g0
endif
endif

# C++ inline functions and templates land in COMDAT groups; `ld -r` keeps
# each group's own __patchable_function_entries section (gcc >= 16 with the
# x86 CALL_PADDING of Debian's kernels), and a module with two sections of
# one name fails to load ("sysfs: cannot create duplicate filename", insmod:
# File exists) on kernels whose module link does not dissolve the groups:
# Linux 7.3 added --force-group-allocation to KBUILD_LDFLAGS_MODULE; before
# that (Debian sid's 7.2 with gcc-16) do it when linking the module's objects.
ldflags-y += $(call ld-option,--force-group-allocation)

ifdef KCXX_WERROR
ccflags-y += -Werror
cxx-flags += -Werror
endif

$(addprefix $(obj)/,$(cxx-objs)): private CC := $(CXX_FOR_KERNEL)
$(addprefix $(obj)/,$(cxx-objs)): private CHECK := true
$(addprefix $(obj)/,$(cxx-objs)): private c_flags = -Wp,-MMD,$(depfile) \
	$(NOSTDINC_FLAGS) $(LINUXINCLUDE) \
	$(filter-out $(cxx-c-only),$(_c_flags)) $(modkern_cflags) \
	$(basename_flags) $(modname_flags) $(cxx-flags)

$(obj)/%.o: $(src)/%.cpp FORCE
	$(call if_changed_rule,cc_o_c)
