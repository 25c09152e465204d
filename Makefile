# SPDX-License-Identifier: GPL-2.0
#
# User targets for the vDPA suite. Kbuild holds the object lists.
#
#   make                 modules for the running kernel, and the tools
#   make KVER=x.y.z      modules for another installed kernel
#   make KDIR=/path      modules against a kernel build or headers tree
#   make check           host unit tests, then the guest suite on every
#                        supported kernel (KERNELS="6.12" narrows it)
#   make demo            boots a stock kernel in QEMU and shows vdpa0 working
#   make bench           datapath and control plane against veth and
#                        upstream's simulator (tests/bench/run)
#   make C=1 W=1         sparse and extra warnings, as kbuild defines them

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
PWD := $(CURDIR)

# Debian's headers want pahole for module BTF when the kernel has it; the
# modules work without BTF, so build without it where pahole is missing.
ifeq ($(shell command -v pahole),)
KBUILD_ARGS += CONFIG_DEBUG_INFO_BTF_MODULES=
endif

all: modules tools

modules:
	$(MAKE) -C $(KDIR) M=$(PWD) $(KBUILD_ARGS) modules

modules_install: modules
	$(MAKE) -C $(KDIR) M=$(PWD) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(KVER)

tools:
	$(MAKE) -C tools

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean 2>/dev/null || \
		find . -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' | xargs rm -f
	$(MAKE) -C tools clean

check:
	tests/check $(if $(KERNELS),--kernels "$(KERNELS)") $(if $(TESTS),--tests "$(TESTS)") \
		$(if $(SEED),--seed "$(SEED)")

demo:
	tests/demo

bench:
	tests/bench/run

.PHONY: all modules modules_install tools clean check demo bench
