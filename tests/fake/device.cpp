// SPDX-License-Identifier: GPL-2.0
// device.cpp - lib/shim/device.c and <linux/device.h>'s device creation
// and destruction on the host. Failures are ERR_PTR()s, as the kernel's;
// a class destroyed under its device, or a device destroyed twice, is a
// bug. A device is a node of the VFS (vfs.cpp) and its sysfs directory.
#include "fake/fake.h"

using namespace shim_host;

namespace {

// The kernel's IS_ERR_OR_NULL().
bool is_err_or_null(const void* pointer)
{
    auto value = reinterpret_cast<unsigned long>(pointer);
    return !pointer || value >= static_cast<unsigned long>(-SHIM_MAX_ERRNO);
}

HostClass* host_class(const kapi_class* cls) { return reinterpret_cast<HostClass*>(const_cast<kapi_class*>(cls)); }

} // namespace

extern "C" {

kapi_class* shim_class_create(const char* name)
{
    might_sleep("class_create");
    if (int error = injected(Step::class_create))
        return err_ptr<kapi_class>(error);
    std::lock_guard guard(g.m);
    for (const HostClass* cls : g.classes)
        if (cls->name == name)
            return err_ptr<kapi_class>(-EEXIST); // a class of that name is registered already
    auto* cls = new HostClass { name, 0 };
    g.classes.insert(cls);
    ++g.res.classes;
    return reinterpret_cast<kapi_class*>(cls);
}

void class_destroy(kapi_class* raw)
{
    if (is_err_or_null(raw))
        return; // the kernel's class_destroy() ignores these
    HostClass* cls = host_class(raw);
    std::lock_guard guard(g.m);
    if (!g.classes.erase(cls)) {
        record_bug_locked("class_destroy() of a class not created");
        return;
    }
    if (cls->devices) {
        record_bug_locked("class_destroy() while its device still exists");
        // The devices stay accounted (a leak), but point at no freed class.
        for (auto& [node, device] : g.nodes)
            if (device->cls == cls)
                device->cls = nullptr;
    }
    delete cls;
    --g.res.classes;
}

device* device_create_with_groups(
    kapi_class* raw, device*, unsigned int devt, void* drvdata, const attribute_group** groups, const char* fmt, ...)
{
    might_sleep("device_create");
    if (int error = injected(Step::device_create))
        return err_ptr<device>(error);
    va_list args;
    va_start(args, fmt);
    std::string name = vformat(fmt, args);
    va_end(args);
    HostClass* cls = host_class(raw);
    std::lock_guard guard(g.m);
    if (is_err_or_null(raw) || !g.classes.count(cls)) {
        record_bug_locked("device_create() without a class");
        return err_ptr<device>(-ENODEV);
    }
    if (g.nodes.count(name))
        return err_ptr<device>(-EEXIST);
    auto* dev = new HostDevice { cls, devt, drvdata, name, groups };
    g.nodes.emplace(name, dev);
    ++cls->devices;
    ++g.res.devices;
    return reinterpret_cast<device*>(dev);
}

void device_destroy(kapi_class* raw, unsigned int devt)
{
    HostClass* cls = host_class(raw);
    std::lock_guard guard(g.m);
    for (auto it = g.nodes.begin(); it != g.nodes.end(); ++it) {
        HostDevice* dev = it->second;
        if (dev->cls != cls || dev->devt != devt)
            continue;
        g.nodes.erase(it);
        --cls->devices;
        --g.res.devices;
        delete dev;
        return;
    }
    record_bug_locked("device_destroy() of a device not created");
}

} // extern "C"
