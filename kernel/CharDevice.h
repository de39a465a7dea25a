// SPDX-License-Identifier: GPL-2.0
// CharDevice.h - one character device: number region, cdev, class and
// device node (with its sysfs counters). Built in two calls so that the
// owner can start its thread between them and publish the node last;
// torn down by the destructor in the reverse order of whatever succeeded.
#pragma once

#include "kernel/Result.h"
#include "shim/lothars_shim.h"

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
        TRY(step("alloc_chrdev_region", shim_chardev_alloc_region(&m_raw, name), m_has_region));
        return {};
    }

    // Makes the device reachable: cdev, class, then /dev/<name>. From the
    // first of these on, Handler's methods may run, so call this last.
    template<class Handler>
    Result<void> publish(const char* name, Handler& handler) MAY_SLEEP
    {
        TRY(step("cdev_add", shim_chardev_add_cdev(&m_raw, &file_ops_for<Handler>, &handler), m_has_cdev));
        TRY(step("class_create", shim_chardev_create_class(&m_raw, name), m_has_class));
        TRY(step("device_create", shim_chardev_create_device(&m_raw, name), m_has_device));
        return {};
    }

    unsigned int major() const { return shim_chardev_major(&m_raw); }
    unsigned int minor() const { return shim_chardev_minor(&m_raw); }

private:
    static Result<void> step(const char* what, int code, bool& acquired)
    {
        if (code < 0) {
            shim_log_error("%s() failed: error %d", what, code);
            return Error::from_errno(code);
        }
        acquired = true;
        return {};
    }

    // The shim calls back into Handler through this table of plain
    // functions; it is constant-initialised, so no constructor has to run.
    template<class Handler>
    static constexpr shim_file_ops file_ops_for = {
        .open = [](void* owner, void** session) -> int {
            return static_cast<Handler*>(owner)->open(session);
        },
        .read = [](void* owner, void* session, char* buffer, unsigned long length, long long* position) -> long {
            return static_cast<Handler*>(owner)->read(session, buffer, length, position);
        },
        .release = [](void* owner, void* session) {
            static_cast<Handler*>(owner)->release(session);
        },
        .counter = [](void* owner, shim_counter which) -> unsigned long long {
            return static_cast<Handler*>(owner)->counter(which);
        },
    };

    shim_chardev m_raw {};
    bool m_has_region = false;
    bool m_has_cdev = false;
    bool m_has_class = false;
    bool m_has_device = false;
};

} // namespace kernel
