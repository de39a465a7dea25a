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
#include "kernel/Field.h"
#include "kernel/Log.h"
#include "kernel/Result.h"

namespace kernel {

class CharDevice {
public:
    CharDevice() = default;
    KERNEL_PINNED(CharDevice);

    ~CharDevice()
    {
        if (m_device)
            device_destroy(m_class, m_number);
        if (m_class)
            class_destroy(m_class);
        if (m_has_cdev)
            cdev_del(raw_cdev());
        if (m_has_region)
            unregister_chrdev_region(m_number, 1);
    }

    // A dynamic major with minor 0; nothing is reachable yet.
    Result<void> reserve_number(const char* name) MAY_SLEEP
    {
        might_sleep();
        TRY(step("alloc_chrdev_region", alloc_chrdev_region(&m_number, 0, 1, name)));
        m_has_region = true;
        return {};
    }

    // Makes the device reachable: cdev, class, then /dev/<name> with its
    // attribute groups, whose show functions get drvdata. From the first
    // of these on, the file operations may run, so call this last.
    Result<void> publish(
        const char* name, const file_operations& fops, const attribute_group** groups, void* drvdata) MAY_SLEEP
    {
        might_sleep();
        shim_cdev_init(&m_cdev, &fops);
        TRY(step("cdev_add", cdev_add(raw_cdev(), m_number, 1)));
        m_has_cdev = true;
        m_class = TRY(pointer_step("class_create", shim_class_create(name)));
        m_device = TRY(pointer_step(
            "device_create", device_create_with_groups(m_class, nullptr, m_number, drvdata, groups, "%s", name)));
        return {};
    }

    unsigned int major() const { return m_number >> SHIM_MINORBITS; }
    unsigned int minor() const { return m_number & ((1U << SHIM_MINORBITS) - 1); }

private:
    struct cdev* raw_cdev() { return static_cast<struct cdev*>(static_cast<void*>(m_cdev.opaque)); }

    static Result<void> step(const char* what, int code)
    {
        if (code < 0) {
            KERNEL_LOG_ERROR("%s() failed: error %d", what, code);
            return Error::from_errno(code);
        }
        return {};
    }

    // The kernel's ERR_PTR() convention: the last MAX_ERRNO addresses.
    template<class T>
    static Result<T*> pointer_step(const char* what, T* pointer)
    {
        // An errno in a pointer: an integer is what it is (gcc 10 has no bit_cast).
        auto code = reinterpret_cast<long>(pointer); // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
        if (code < 0 && code >= -long(SHIM_MAX_ERRNO)) {
            KERNEL_LOG_ERROR("%s() failed: error %d", what, int(code));
            return Error::from_errno(int(code));
        }
        return pointer;
    }

    shim_cdev m_cdev {};
    unsigned int m_number = 0;
    kapi_class* m_class = nullptr;
    device* m_device = nullptr;
    bool m_has_region = false;
    bool m_has_cdev = false;
};

// Where a read's bytes go: the user buffer of read(), or the iov_iter of
// read_iter() (readv, preadv, io_uring), so that one handler serves both.
class ReadTarget {
public:
    static ReadTarget user(char* buffer, unsigned long length) { return { buffer, nullptr, length }; }
    static ReadTarget iter(iov_iter* iter)
    {
        return { nullptr, iter, field<unsigned long>(iter, KCXX_IOV_ITER_COUNT) };
    }

    unsigned long length() const { return m_length; }

    // Copies count bytes (count <= length()), all or none: 0 or -EFAULT.
    Result<void> copy(const char* data, unsigned long count) const MAY_SLEEP
    {
        return result_from(shim_copy_to_reader(m_buffer, m_iter, data, count));
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
    // The file a read_iter() or write_iter() works on.
    static File of(kiocb* iocb) { return File(field<file*>(iocb, KCXX_KIOCB_FILP)); }
    // The position it reads or writes at, and advances.
    static long long* position_of(kiocb* iocb) { return &field<long long>(iocb, KCXX_KIOCB_POS); }

    // The object open() attached to the file, or null.
    template<class Session>
    Session* session() const
    {
        return static_cast<Session*>(field<void*>(m_raw, KCXX_FILE_PRIVATE_DATA));
    }
    template<class Session>
    void attach(Session* session)
    {
        field<void*>(m_raw, KCXX_FILE_PRIVATE_DATA) = session;
    }

private:
    file* m_raw;
};

} // namespace kernel
