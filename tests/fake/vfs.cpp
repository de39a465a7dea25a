// SPDX-License-Identifier: GPL-2.0
// vfs.cpp - the host's tiny VFS: /dev/<node> opened, read and released
// through the file operations a module's cdev reaches, as the kernel's
// chrdev_open() and vfs_read() do, and a device's sysfs attributes.
//
// A node is a device (device.cpp) whose number a cdev (cdev.cpp) serves:
// the two are found separately, as in the kernel, so that a node without
// its cdev opens with -ENXIO.
#include "fake/fake.h"

namespace shim_host {

int vfs_open(const char* node, File& file)
{
    file = File {};
    {
        std::lock_guard guard(g.m);
        auto it = g.nodes.find(node);
        if (it == g.nodes.end())
            return -ENOENT;
        // chrdev_open(): no cdev for the number, or try_module_get() fails.
        auto cdev = g.cdevs.find(it->second->devt);
        if (cdev == g.cdevs.end() || g.module_going)
            return -ENXIO;
        file.cdev = cdev->second;
        file.ops = cdev->second->ops;
        ++g.res.open_files;
    }
    // chrdev_open(): the inode points at the cdev, the file at the inode.
    file.node.i_cdev = static_cast<cdev*>(const_cast<void*>(file.cdev));
    file.raw.f_inode = &file.node;
    int ret = 0;
    if (file.ops->open) {
        Watched watched("open()");
        ret = file.ops->open(&file.node, &file.raw);
    }
    if (ret < 0) {
        std::lock_guard guard(g.m);
        --g.res.open_files; // the failed open drops its module reference
        file = File {};
        return ret;
    }
    file.is_open = true;
    return 0;
}

long vfs_read(File& file, char* buffer, unsigned long length)
{
    if (!file.is_open)
        return -EBADF;
    if (!file.ops->read)
        return -EINVAL; // vfs_read() of a file without .read (nor .read_iter)
    long long pos = file.pos; // ksys_read() works on a copy of f_pos
    Watched watched("read()");
    long ret = file.ops->read(&file.raw, buffer, length, &pos);
    if (ret >= 0)
        file.pos = pos;
    return ret;
}

long vfs_write(File& file, const char* buffer, unsigned long length)
{
    if (!file.is_open)
        return -EBADF;
    if (!file.ops->write)
        return -EINVAL; // vfs_write() of a file without .write
    long long pos = file.pos;
    Watched watched("write()");
    long ret = file.ops->write(&file.raw, buffer, length, &pos);
    if (ret >= 0)
        file.pos = pos;
    return ret;
}

long vfs_readv(File& file, char* buffer, unsigned long length)
{
    if (!file.is_open)
        return -EBADF;
    if (!file.ops->read_iter)
        return vfs_read(file, buffer, length); // one vector: .read once
    kiocb iocb { &file.raw, file.pos };
    iov_iter iter { buffer, length };
    Watched watched("readv(): read_iter()");
    long ret = file.ops->read_iter(&iocb, &iter);
    if (ret >= 0)
        file.pos = iocb.ki_pos;
    return ret;
}

long vfs_ioctl(File& file, unsigned int command)
{
    if (!file.is_open)
        return -EBADF;
    if (!file.ops->unlocked_ioctl)
        return -ENOTTY;
    Watched watched("ioctl()");
    return file.ops->unlocked_ioctl(&file.raw, command, 0);
}

int vfs_mmap(File& file)
{
    if (!file.is_open)
        return -EBADF;
    if (!file.ops->mmap)
        return -ENODEV;
    Watched watched("mmap()");
    return file.ops->mmap(&file.raw, nullptr);
}

long vfs_pread(File& file, char* buffer, unsigned long length, long long* pos)
{
    if (!file.is_open)
        return -EBADF;
    Watched watched("pread()");
    return file.ops->read(&file.raw, buffer, length, pos);
}

void vfs_release(File& file)
{
    if (!file.is_open) {
        record_bug("vfs_release() of a file that is not open");
        return;
    }
    if (file.ops->release) {
        Watched watched("close(): release()");
        file.ops->release(&file.node, &file.raw);
    }
    file.is_open = false;
    std::lock_guard guard(g.m);
    --g.res.open_files;
}

bool node_exists(const char* node)
{
    std::lock_guard guard(g.m);
    return g.nodes.count(node) != 0;
}

unsigned node_major(const char* node)
{
    std::lock_guard guard(g.m);
    auto it = g.nodes.find(node);
    return it == g.nodes.end() ? 0 : it->second->devt >> SHIM_MINORBITS;
}

std::optional<unsigned long long> sysfs_read(const char* node, const char* attribute)
{
    // Under the lock, as kernfs holds an active reference that
    // device_destroy() drains: the attribute cannot vanish mid-read.
    std::lock_guard guard(g.m);
    auto it = g.nodes.find(node);
    if (it == g.nodes.end() || !it->second->groups)
        return std::nullopt;
    for (const attribute_group** group = it->second->groups; *group; ++group)
        for (unsigned int i = 0; i < (*group)->count; ++i)
            if (std::string((*group)->names[i]) == attribute)
                return (*group)->value(it->second->drvdata, i);
    return std::nullopt;
}

std::string OpenFile::read_string(unsigned long length, long* result)
{
    std::string text(length, '\0');
    long ret = read(text.data(), length);
    if (result)
        *result = ret;
    text.resize(ret > 0 ? static_cast<size_t>(ret) : 0);
    return text;
}

} // namespace shim_host
