// SPDX-License-Identifier: GPL-2.0
/*
 * offsets.c - where the C++ finds the kernel struct fields it reads and
 * writes (kernel/Field.h). Never linked: kbuild compiles it to assembly
 * against the kernel's own headers and turns each OFFSET() into a line of
 * kcxx_offsets.h, as the kernel makes asm-offsets.h (lib/kcxx.mk). A field
 * that moves gets its new offset; one that is renamed or changes type
 * breaks the build here. Reading a field then costs the C++ one load, not
 * a call to a helper.
 */
#include <linux/fs.h>
#include <linux/kbuild.h>
#include <linux/uio.h>

/* OFFSET(), with the field's type checked against what the C++ assumes. */
#define KCXX_FIELD(sym, str, mem, type)					\
	do {								\
		static_assert(__same_type(((struct str *)0)->mem, type),	\
			      "struct " #str "." #mem " is no longer " #type); \
		OFFSET(sym, str, mem);					\
	} while (0)

void kcxx_offsets(void);

void kcxx_offsets(void)
{
	/* <linux/fs.h>: what open() attached, and read_iter()'s file and position */
	KCXX_FIELD(KCXX_FILE_PRIVATE_DATA, file, private_data, void *);
	KCXX_FIELD(KCXX_KIOCB_FILP, kiocb, ki_filp, struct file *);
	KCXX_FIELD(KCXX_KIOCB_POS, kiocb, ki_pos, loff_t);
	/* <linux/uio.h>: iov_iter_count() */
	KCXX_FIELD(KCXX_IOV_ITER_COUNT, iov_iter, count, size_t);
}
