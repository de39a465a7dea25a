// SPDX-License-Identifier: GPL-2.0
// CharDevice.h - one character device: number region, cdev, class and
// device node (with its sysfs attributes). Built in two calls so that the
// owner can start its thread between them and publish the node last;
// torn down by the destructor in the reverse order of whatever succeeded.
//
// The owner brings its file operations and attribute groups: tables the
// kernel defines in C (struct file_operations), whose entries are the
// owner's own handlers, so that the kernel calls them with no function of
// ours in between.
#pragma once

#include "kernel/Context.h"
#include "kernel/Log.h"
#include "kernel/Result.h"

namespace kernel {

class CharDevice {
public:
    CharDevice() = default;
    KERNEL_PINNED(CharDevice);

    ~CharDevice()
    {
        if (m_has_device)
            shim_chardev_destroy_device(&m_raw);
        if (m_has_class)
            shim_chardev_destroy_class(&m_raw);
        if (m_has_cdev)
            shim_chardev_del_cdev(&m_raw);
        if (m_has_region)
            shim_chardev_free_region(&m_raw);
    }

    // A dynamic major with minor 0; nothing is reachable yet.
    Result<void> reserve_number(const char* name) MAY_SLEEP
    {
        might_sleep();
        TRY(step("alloc_chrdev_region", shim_chardev_alloc_region(&m_raw, name, &m_major, &m_minor), m_has_region));
        return {};
    }

    // Makes the device reachable: cdev, class, then /dev/<name> with its
    // attribute groups, whose show functions get drvdata. From the first
    // of these on, the file operations may run, so call this last.
    Result<void> publish(const char* name, const file_operations& fops, const attribute_group** groups,
                         void* drvdata) MAY_SLEEP
    {
        might_sleep();
        TRY(step("cdev_add", shim_chardev_add_cdev(&m_raw, &fops), m_has_cdev));
        TRY(step("class_create", shim_chardev_create_class(&m_raw, name), m_has_class));
        TRY(step("device_create", shim_chardev_create_device(&m_raw, name, groups, drvdata), m_has_device));
        return {};
    }

    unsigned int major() const { return m_major; }
    unsigned int minor() const { return m_minor; }

private:
    static Result<void> step(const char* what, int code, bool& acquired)
    {
        if (code < 0) {
            KERNEL_LOG_ERROR("%s() failed: error %d", what, code);
            return Error::from_errno(code);
        }
        acquired = true;
        return {};
    }

    shim_chardev m_raw {};
    unsigned int m_major = 0;
    unsigned int m_minor = 0;
    bool m_has_region = false;
    bool m_has_cdev = false;
    bool m_has_class = false;
    bool m_has_device = false;
};

// Where a read's bytes go: the user buffer of read(), or the iov_iter of
// read_iter() (readv, preadv, io_uring), so that one handler serves both.
class ReadTarget {
public:
    static ReadTarget user(char* buffer, unsigned long length) { return {buffer, nullptr, length}; }
    static ReadTarget iter(iov_iter* iter) { return {nullptr, iter, shim_iter_count(iter)}; }

    unsigned long length() const { return m_length; }

    // Copies count bytes (count <= length()), all or none: 0 or -EFAULT.
    Result<void> copy(const char* data, unsigned long count) const MAY_SLEEP
    {
        if (m_iter)
            return result_from(shim_copy_to_iter(m_iter, data, count));
        return result_from(shim_copy_to_user(m_buffer, data, count));
    }

private:
    ReadTarget(char* buffer, iov_iter* iter, unsigned long length) : m_buffer(buffer), m_iter(iter), m_length(length) {}
    char* m_buffer;
    iov_iter* m_iter;
    unsigned long m_length;
};

// An open file, as the kernel hands it to a file operation.
class File {
public:
    explicit File(file* raw) : m_raw(raw) {}

    // The object open() attached to the file, or null.
    template<class Session>
    Session* session() const { return static_cast<Session*>(shim_file_private(m_raw)); }
    template<class Session>
    void attach(Session* session) { shim_file_set_private(m_raw, session); }

private:
    file* m_raw;
};

} // namespace kernel
