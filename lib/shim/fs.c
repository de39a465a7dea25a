// SPDX-License-Identifier: GPL-2.0
/*
 * fs.c - <linux/fs.h>: the fields of struct file and struct kiocb that a
 * file operation reads. Reserving and releasing device numbers is
 * exported and called directly (kernel_api.h).
 */
#include <linux/fs.h>

#include "shim.h"

static_assert(SHIM_MINORBITS == MINORBITS, "MINORBITS changed");

/**
 * shim_file_private() - an open file's private data
 * @file: the file
 *
 * Return: file->private_data.
 */
void *shim_file_private(const struct file *file)
{
	return file->private_data;
}

/**
 * shim_file_set_private() - set an open file's private data
 * @file: the file, in its open()
 * @data: the new file->private_data
 */
void shim_file_set_private(struct file *file, void *data)
{
	file->private_data = data;
}

/**
 * shim_iocb_file() - the file a read_iter() or write_iter() works on
 * @iocb: the kernel's I/O control block
 *
 * Return: iocb->ki_filp.
 */
struct file *shim_iocb_file(const struct kiocb *iocb)
{
	return iocb->ki_filp;
}

/**
 * shim_iocb_pos() - the file position a read_iter() reads at and advances
 * @iocb: the kernel's I/O control block
 *
 * Return: &iocb->ki_pos.
 */
long long *shim_iocb_pos(struct kiocb *iocb)
{
	return &iocb->ki_pos;
}
