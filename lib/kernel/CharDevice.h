// SPDX-License-Identifier: GPL-2.0
// CharDevice.h - a character device that the library owns: a module
// writes one C++ class, its driver, and the library builds the rest
// around it once for every such class: the number region, the cdev, the
// class and the device node with the driver's counters in sysfs, the
// file_operations table (kernel/FileOperations.h), the per-open session,
// the refusals, and the teardown in the reverse order of whatever
// succeeded.
//
// A driver declares what it does (each optional unless said):
//   static constexpr const char* name          /dev/<name>, /sys/class/<name> (required)
//   using Session = ...;                       per-open state: made at open, destroyed at close
//   bool needs_session() const                 false: this open gets none (null)
//   Result<void> start(DeviceNumber)           after the number is reserved, before publishing
//   void published()                           the node exists
//   read(File<Session>, ReadTarget, long long* position) -> long or Result<long>
//   static constexpr bool vectored_read        readv()/preadv()/io_uring: one read, not one per vector
//   write(File<Session>, const WriteSource&, long long* position) -> long or Result<long>
//   static constexpr Refusal write_refusal     a read-only device: write() answers this
//   void release(Session&)                     before the session is destroyed
//   void stop()                                unloading: before the device goes (its
//                                              threads joined while /dev/<name> still exists)
//   static constexpr auto counters()           read-only sysfs files (counter_list())
//   static constexpr bool seekable             lseek() moves the position (else it stays)
//   static constexpr const char* state_name    for the allocation failure's log line
// ioctl() and mmap() are refused (ENOTTY, ENODEV), with a log line each.
//
// The driver is found from the file, not from a global: file->f_inode->
// i_cdev is the cdev inside CharDevice, and the driver sits beside it.
#pragma once

#include "kernel/Context.h"
#include "kernel/Field.h"
#include "kernel/FileOperations.h"
#include "kernel/Log.h"
#include "kernel/Memory.h"
#include "kernel/Result.h"
#include "kernel/UserCopy.h"

namespace kernel {

// What a refused operation answers: a positive errno and a log line.
struct Refusal {
    int error;
    const char* line;
};

// A read-only sysfs file: its name and the driver's method that reads it.
template<class Driver>
struct Counter {
    const char* name;
    unsigned long long (Driver::*value)() ANY_CONTEXT;
};

template<class Driver, unsigned int Count>
struct Counters {
    Counter<Driver> items[Count];
};

// What a driver's static constexpr counters() returns: a function, so
// that the driver's methods can be named while its class is being defined.
template<class Driver, unsigned int Count>
constexpr Counters<Driver, Count> counter_list(const Counter<Driver> (&items)[Count])
{
    Counters<Driver, Count> list {};
    for (unsigned int i = 0; i < Count; ++i)
        list.items[i] = items[i];
    return list;
}

struct DeviceNumber {
    unsigned int major;
    unsigned int minor;
};

// Where a read's bytes go: the user buffer of read(), or the iov_iter of
// read_iter() (readv, preadv, io_uring), so that one handler serves both.
class ReadTarget {
public:
    static ReadTarget user(char __user* buffer, unsigned long length) { return { buffer, nullptr, length }; }
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
    ReadTarget(char __user* buffer, iov_iter* iter, unsigned long length)
        : m_buffer(buffer), m_iter(iter), m_length(length)
    {}
    char __user* m_buffer;
    iov_iter* m_iter;
    unsigned long m_length;
};

// An open file, as a file operation sees it: the session open() made
// (null if the driver wanted none). Read only where it is used: a read
// that needs no session costs no load.
template<class Session>
class File {
public:
    explicit File(file* raw) : m_raw(raw) {}
    Session* session() const { return static_cast<Session*>(field<void*>(m_raw, KCXX_FILE_PRIVATE_DATA)); }

private:
    file* m_raw;
};

struct NoSession {};

template<class Driver>
struct SessionOf {
    using Type = NoSession;
};
template<class Driver>
requires requires { typename Driver::Session; }
struct SessionOf<Driver> {
    using Type = typename Driver::Session;
};

// The part of a device that does not depend on the driver. Standard
// layout, the cdev first: a cdev's address is the object's.
class CharDeviceBase {
protected:
    // cppcheck-suppress uninitMemberVar ; m_counters: shim_counters_init() builds it
    CharDeviceBase() = default;
    KERNEL_PINNED(CharDeviceBase);
    // Out of line and cold: one copy of the teardown, off the hot path.
    [[gnu::noinline]] KERNEL_COLD ~CharDeviceBase()
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

    DeviceNumber number() const { return { m_number >> SHIM_MINORBITS, m_number & ((1U << SHIM_MINORBITS) - 1) }; }

    // Makes the device reachable: cdev, class, then /dev/<name> with its
    // counters, whose show function gets drvdata. From the first of these
    // on, the file operations may run, so this comes last.
    Result<void> publish(
        const char* name, const FileOperations& fops, const attribute_group** groups, void* drvdata) MAY_SLEEP
    {
        might_sleep();
        shim_cdev_init(&m_cdev, fops.raw());
        TRY(step("cdev_add", cdev_add(raw_cdev(), m_number, 1)));
        m_has_cdev = true;
        m_class = TRY(pointer_step("class_create", shim_class_create(name)));
        m_device = TRY(pointer_step(
            "device_create", device_create_with_groups(m_class, nullptr, m_number, drvdata, groups, "%s", name)));
        return {};
    }

private:
    template<class>
    friend class CharDevice;

    shim_cdev m_cdev {}; // first (see above)
    shim_counters m_counters; // built by shim_counters_init()
    unsigned int m_number = 0;
    kapi_class* m_class = nullptr;
    device* m_device = nullptr;
    bool m_has_region = false;
    bool m_has_cdev = false;

    cdev* raw_cdev() { return kernel_object<cdev>(m_cdev); }

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
};

// The driver, in a base of its own: bases are destroyed in the reverse
// order of their list, so the device is unreachable (~CharDeviceBase)
// before the driver's members go.
template<class Driver>
struct DriverBox {
    Driver m_driver;
};

template<class Driver>
class CharDevice : DriverBox<Driver>, CharDeviceBase {
public:
    using Session = typename SessionOf<Driver>::Type;

    // Fallible constructor: the driver started and its device reachable,
    // or an error with everything acquired released again.
    static Result<CharDevice*> create() MAY_SLEEP
    {
        auto allocated = kernel::create<CharDevice>();
        if (allocated.is_error()) {
            KERNEL_LOG_ERROR("allocating %s failed: error %d", state_name(), allocated.error().code());
            return allocated.error();
        }
        OwnPtr<CharDevice> self = allocated.release_value();
        TRY(self->reserve_number(Driver::name));
        if constexpr (requires { self->m_driver.start(DeviceNumber {}); })
            TRY(self->m_driver.start(self->number()));
        const attribute_group** groups = nullptr;
        if constexpr (counter_count() > 0)
            groups = shim_counters_init(&self->m_counters, counter_names.items, counter_count(), &counter);
        TRY(self->publish(Driver::name, table, groups, &self->m_driver));
        if constexpr (requires { self->m_driver.published(); })
            self->m_driver.published();
        return self.leak();
    }

    // The driver's stop() while its device still exists, then the device
    // goes (~CharDeviceBase), then the driver (~DriverBox): the classic
    // module's order, its thread joined before device_destroy(). Out of
    // line and cold: one copy, off the hot path.
    [[gnu::noinline]] KERNEL_COLD ~CharDevice()
    {
        if constexpr (requires { m_driver.stop(); })
            m_driver.stop();
    }

    CharDevice() = default;
    KERNEL_PINNED(CharDevice);

    Driver& driver() { return this->m_driver; }

private:
    using DriverBox<Driver>::m_driver;

    static constexpr const char* state_name()
    {
        if constexpr (requires { Driver::state_name; })
            return Driver::state_name;
        else
            return "the module state";
    }

    static constexpr bool seekable()
    {
        if constexpr (requires { Driver::seekable; })
            return Driver::seekable;
        else
            return false;
    }

    static constexpr bool vectored_read()
    {
        if constexpr (requires { Driver::vectored_read; })
            return Driver::vectored_read;
        else
            return false;
    }

    static constexpr bool has_session = !__is_same(Session, NoSession);

    // ---- finding the driver: inode->i_cdev is our m_cdev ---------------

    static Driver& of(inode* node)
    {
        void* raw = field<cdev*>(node, KCXX_INODE_I_CDEV);
        return static_cast<CharDevice*>(static_cast<CharDeviceBase*>(raw))->m_driver;
    }
    static Driver& of(file* raw) { return of(field<inode*>(raw, KCXX_FILE_F_INODE)); }

    static long returned(long value) { return value; }
    static long returned(Result<long> result) { return to_errno(move(result)); }

    // ---- the file operations --------------------------------------------

    static int open(inode* node, file* raw) MAY_SLEEP
    {
        if constexpr (requires { of(node).needs_session(); }) {
            if (!of(node).needs_session())
                return 0;
        }
        auto session = kernel::create<Session>();
        if (session.is_error()) {
            KERNEL_LOG_ERROR("open: no memory for the session: error %d", session.error().code());
            return session.error().code();
        }
        field<void*>(raw, KCXX_FILE_PRIVATE_DATA) = session.value().leak(); // release() destroys it
        return 0;
    }

    static int release(inode* node, file* raw) MAY_SLEEP
    {
        auto* session = File<Session>(raw).session();
        if (!session)
            return 0;
        if constexpr (requires { of(node).release(*session); })
            of(node).release(*session);
        kernel::destroy(session);
        return 0;
    }

    static long read(file* raw, char __user* buffer, unsigned long length, long long* position) MAY_SLEEP
    {
        return returned(of(raw).read(File<Session>(raw), ReadTarget::user(buffer, length), position));
    }

    static long read_iter(kiocb* iocb, iov_iter* to) MAY_SLEEP
    {
        file* raw = field<file*>(iocb, KCXX_KIOCB_FILP);
        return returned(
            of(raw).read(File<Session>(raw), ReadTarget::iter(to), &field<long long>(iocb, KCXX_KIOCB_POS)));
    }

    static long write(file* raw, const char __user* buffer, unsigned long length, long long* position) MAY_SLEEP
    {
        return returned(of(raw).write(File<Session>(raw), WriteSource::user(buffer, length), position));
    }

    static long refuse_write(file*, const char __user*, unsigned long, long long*) MAY_SLEEP
    {
        KERNEL_LOG_INFO_RATELIMITED("%s", Driver::write_refusal.line);
        return -Driver::write_refusal.error;
    }

    static long refuse_ioctl(file*, unsigned int command, unsigned long) MAY_SLEEP
    {
        KERNEL_LOG_INFO_RATELIMITED("ioctl 0x%x refused: no ioctls", command);
        return -SHIM_ENOTTY;
    }

    static int refuse_mmap(file*, vm_area_struct*) MAY_SLEEP
    {
        KERNEL_LOG_INFO_RATELIMITED("mmap refused: nothing to map");
        return -SHIM_ENODEV;
    }

    // ---- the table: built at compile time, in .rodata ---------------------

    static constexpr FileOperations make_table()
    {
        FileOperations table {};
        // .owner pins the module while a file is open: rmmod then fails with
        // EBUSY instead of freeing the code under an open file.
        table.at(KCXX_FOPS_OWNER).owner = &__this_module;
        table.at(KCXX_FOPS_LLSEEK).llseek = seekable() ? &default_llseek : &noop_llseek;
        if constexpr (has_session) {
            table.at(KCXX_FOPS_OPEN).open = &open;
            table.at(KCXX_FOPS_RELEASE).release = &release;
        }
        if constexpr (requires { &Driver::read; }) {
            table.at(KCXX_FOPS_READ).read = &read;
            if constexpr (vectored_read())
                table.at(KCXX_FOPS_READ_ITER).read_iter = &read_iter;
        }
        if constexpr (requires { &Driver::write; })
            table.at(KCXX_FOPS_WRITE).write = &write;
        else if constexpr (requires { Driver::write_refusal; })
            table.at(KCXX_FOPS_WRITE).write = &refuse_write;
        table.at(KCXX_FOPS_UNLOCKED_IOCTL).ioctl = &refuse_ioctl;
        table.at(KCXX_FOPS_COMPAT_IOCTL).ioctl = &refuse_ioctl;
        table.at(KCXX_FOPS_MMAP).mmap = &refuse_mmap;
        return table;
    }
    static constexpr FileOperations table = make_table();

    // ---- the counters ------------------------------------------------------

    static constexpr auto counter_table()
    {
        if constexpr (requires { Driver::counters(); })
            return Driver::counters();
        else
            return Counters<Driver, 1> {};
    }
    static constexpr unsigned int counter_count()
    {
        if constexpr (requires { Driver::counters(); })
            return sizeof(Driver::counters().items) / sizeof(Counter<Driver>);
        else
            return 0;
    }
    static_assert(counter_count() <= SHIM_COUNTERS_MAX, "more counters than shim/sysfs.c has room for");

    struct CounterNames {
        const char* items[counter_count() ? counter_count() : 1];
    };
    static constexpr CounterNames make_counter_names()
    {
        CounterNames names {};
        if constexpr (counter_count() > 0)
            for (unsigned int i = 0; i < counter_count(); ++i)
                names.items[i] = counter_table().items[i].name;
        return names;
    }
    static constexpr CounterNames counter_names = make_counter_names();

    // One direct call per counter: the index picks it.
    template<unsigned int Index>
    static unsigned long long counter_at(Driver& driver, unsigned int index) ANY_CONTEXT
    {
        if constexpr (Index < counter_count()) {
            if (index == Index)
                return (driver.*counter_table().items[Index].value)();
            return counter_at<Index + 1>(driver, index);
        } else {
            return 0;
        }
    }
    static unsigned long long counter(void* drvdata, unsigned int index) ANY_CONTEXT
    {
        return counter_at<0>(*static_cast<Driver*>(drvdata), index);
    }
};

// A module that is one character device: its module_init and module_exit
// (in the module's C file, with its parameters and modinfo) call these.
template<class Driver>
class Module {
public:
    static int load() MAY_SLEEP
    {
        auto device = CharDevice<Driver>::create();
        if (device.is_error())
            return device.error().code();
        s_device = device.value();
        return 0;
    }

    // No file is open (each open pins the module).
    static void unload() MAY_SLEEP { kernel::destroy(exchange<CharDevice<Driver>*>(s_device, nullptr)); }

private:
    // Only for module_exit, which the kernel calls with nothing.
    static inline constinit CharDevice<Driver>* s_device = nullptr;
};

} // namespace kernel

// A module whose driver needs no parameters, and so no C at all: its init
// and exit (the names modpost's <module>.mod.c calls, which C's
// module_init() and module_exit() alias) and its modinfo strings, as
// MODULE_LICENSE() and MODULE_DESCRIPTION() put them. (Parameters are
// C: module_param() builds structs the C++ cannot.)
#define KERNEL_MODULE(Driver, license, description)                                                             \
    extern "C" int init_module(void);                                                                           \
    extern "C" void cleanup_module(void);                                                                       \
    int init_module(void) { return kernel::Module<Driver>::load(); }                                            \
    void cleanup_module(void) { kernel::Module<Driver>::unload(); }                                             \
    /* Addresses taken, as module_init() does in C: objtool keeps their ENDBR (IBT). */                         \
    [[gnu::used, gnu::section(".init.data")]] static int (*const kernel_init_address)(void) = &init_module;     \
    [[gnu::used, gnu::section(".exit.data")]] static void (*const kernel_exit_address)(void) = &cleanup_module; \
    KERNEL_MODINFO(kernel_modinfo_license, "license=" license);                                                 \
    KERNEL_MODINFO(kernel_modinfo_description, "description=" description)
#define KERNEL_MODINFO(symbol, text) \
    [[gnu::used, gnu::section(".modinfo"), gnu::aligned(1)]] static constexpr char symbol[] = text
