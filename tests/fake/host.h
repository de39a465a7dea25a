// SPDX-License-Identifier: GPL-2.0
// host.h - the test-facing side of the host fake of the kernel.
//
// tests/fake/ implements every function of lib/shim/shim.h and
// lib/shim/kernel_api.h in user space with the kernel's semantics (counted
// completions, interruptible waits, threads created stopped, ...), one
// file per kernel header as lib/shim/ is split. This header gives the
// tests what a kernel gives a developer at run time: the log, fault
// injection, resource accounting, signals, insmod/rmmod of a module's
// init and exit functions, and a tiny VFS that opens, reads and releases
// a character device through the file operations the module registered,
// as the kernel's chardev_open()/vfs_read() do.
//
// The fake is generic: it knows no module. What one module's tests need
// (its parameters, its tracepoints) is theirs (tests/host/kthread_host.h).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fake/host_kernel.h"
#include "shim/shim.h"

namespace shim_host {

// ---- reset ------------------------------------------------------------

// Clears the log, the log hook, fault injection, call counters, recorded
// bugs and kthread names. Live-resource counts are not reset: they must
// come back to zero by themselves.
void reset();

// ---- log ----------------------------------------------------------------

struct LogLine {
    bool error; // printk() at KERN_ERR or more urgent, rather than KERN_INFO
    std::string text; // as dmesg shows it: errors carry the "kthread: " prefix
};

std::vector<LogLine> log_lines();
std::vector<std::string> log_texts();
// Lines equal to text.
size_t log_count(const std::string& text);
// Index of the first line equal to text at or after from, or -1.
long log_index(const std::string& text, size_t from = 0);
bool log_contains_substring(const std::string& part);
// Waits until the log has a line for which pred is true. Returns false on timeout.
bool wait_for_log(
    const std::function<bool(const std::string&)>& pred, std::chrono::milliseconds timeout = std::chrono::seconds(10));
bool wait_for_log_line(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(10));
// Called with each line, in the logging thread, after the line is stored.
// A hook may block: it holds up only the thread that logs.
void set_log_hook(std::function<void(const LogLine&)> hook);
// Echo each line to stderr as it is logged (also: SHIM_HOST_ECHO=1).
void set_echo(bool echo);

// ---- fault injection ------------------------------------------------------

enum class Step { // step_name() (core.cpp) lists them in this order
    alloc, // shim_alloc: returns NULL (the error is ignored)
    chrdev_region, // alloc_chrdev_region
    cdev_add, // cdev_add
    class_create, // shim_class_create: an ERR_PTR() of the error
    device_create, // device_create_with_groups: an ERR_PTR() of the error
    kthread_create, // shim_kthread_create
    copy_to_user, // shim_copy_to_reader
};
constexpr int step_count = 7;
const char* step_name(Step step);

// The nth call (1-based, counted from now) of step fails with error, a
// negative errno. One injection per step; a new one replaces the old.
void fail_nth(Step step, unsigned nth, int error);
void clear_faults();
// Calls of step since the last reset().
unsigned calls(Step step);

// ---- resource accounting ---------------------------------------------------

struct Resources {
    long allocations = 0; // shim_alloc blocks not yet freed
    long regions = 0; // chrdev regions
    long cdevs = 0;
    long classes = 0;
    long devices = 0;
    long threads = 0; // kthreads created and not yet stopped
    long open_files = 0; // files opened through the VFS helpers
    bool all_zero() const
    {
        return !allocations && !regions && !cdevs && !classes && !devices && !threads && !open_files;
    }
    bool operator==(const Resources&) const = default;
};
Resources live();
std::string to_string(const Resources& resources);

// Kernel rule violations the fake noticed (sleeping under a spinlock,
// unlocking a mutex one does not hold, freeing unknown memory, tearing
// down a chardev out of order, ...). Each is what lockdep, KASAN or a
// WARN_ON would print in the kernel. Tests expect none.
std::vector<std::string> bugs();

// Names of the kthreads created since the last reset().
std::vector<std::string> kthread_names();

// ---- signals ----------------------------------------------------------------

// Each thread that touches the fake has a signal state. A raised signal
// stays pending (as it does until the syscall returns to user space) until
// cleared: interruptible waits and mutex_lock_interruptible() return
// -ERESTARTSYS / -EINTR while it is pending; killable waits only for a
// fatal one.
struct ThreadState;
using ThreadHandle = std::shared_ptr<ThreadState>;
ThreadHandle current_thread();
void raise_signal(const ThreadHandle& thread, bool fatal = false);
void clear_signal(const ThreadHandle& thread);
bool signal_pending(const ThreadHandle& thread);
// True while thread is asleep in a fake wait (completion, wait queue, mutex).
bool is_sleeping(const ThreadHandle& thread);
// The state ps would show: 'S' asleep interruptibly, 'D' asleep
// uninterruptibly (TASK_UNINTERRUPTIBLE or TASK_KILLABLE: the load average
// and the hung-task detector count it), 'R' otherwise.
char task_state(const ThreadHandle& thread);
// The live kthread created with this name (the newest), or null.
ThreadHandle kthread_handle(const std::string& name);
// Waits until thread sleeps in the fake. Returns false on timeout.
bool wait_until_sleeping(const ThreadHandle& thread, std::chrono::milliseconds timeout = std::chrono::seconds(10));

// ---- the module and its device, as the kernel would drive them -------------

// A loadable module as insmod and rmmod see it: its init and exit
// functions (module_init(), module_exit()).
struct Module {
    const char* name = nullptr; // for the watchdog's report
    int (*init)(void) = nullptr;
    void (*exit)(void) = nullptr;
};

// insmod: module.init(); the module is loaded if it returns 0. -EEXIST
// while a module is loaded (one at a time).
int module_load(const Module& module);
// rmmod: -EBUSY while a file of a device is open (fops.owner pins the
// module), otherwise the module's exit() and 0.
int module_unload();
bool module_loaded();

struct File {
    const void* cdev = nullptr; // the host cdev the file was opened on
    const file_operations* ops = nullptr;
    inode node {};
    file raw {}; // raw.private_data: what open() attached
    long long pos = 0; // file->f_pos
    bool is_open = false;
};

// open("/dev/<node>"): 0, -ENOENT without the node, -ENXIO without a cdev,
// or the module's open() error.
int vfs_open(const char* node, File& file);
// read(2): the kernel's vfs_read(): f_pos advances only on success.
long vfs_read(File& file, char* buffer, unsigned long length);
// pread(2): reads at *pos, which stands for the caller's own copy of the
// offset; f_pos is left alone. Two threads can read one file this way
// without sharing an offset variable.
long vfs_pread(File& file, char* buffer, unsigned long length, long long* pos);
// readv(2) of one vector: .read_iter, as the kernel calls it, else .read.
long vfs_readv(File& file, char* buffer, unsigned long length);
// ioctl(2) (its argument 0) and mmap(2): -ENOTTY, -ENODEV without an entry.
long vfs_ioctl(File& file, unsigned int command);
int vfs_mmap(File& file);
// The last close.
void vfs_release(File& file);
bool node_exists(const char* node);
unsigned node_major(const char* node);
// cat /sys/class/<node>/<node>/<attribute>: the counter's show(), with the
// device held, as kernfs does (device_destroy() waits for it); nothing
// without the device or without such a file.
std::optional<unsigned long long> sysfs_read(const char* node, const char* attribute);

// An open file that is released when it goes out of scope.
class OpenFile {
public:
    explicit OpenFile(const char* node) { m_error = vfs_open(node, m_file); }
    ~OpenFile()
    {
        if (m_file.is_open)
            vfs_release(m_file);
    }
    OpenFile(const OpenFile&) = delete;
    OpenFile& operator=(const OpenFile&) = delete;

    int error() const { return m_error; }
    long read(char* buffer, unsigned long length) { return vfs_read(m_file, buffer, length); }
    // Reads once into a string; returns the read's result in *result.
    std::string read_string(unsigned long length = 128, long* result = nullptr);
    void release() { vfs_release(m_file); }
    File& file() { return m_file; }

private:
    File m_file;
    int m_error;
};

// write(2): the kernel's vfs_write(): -EINVAL when the module's table
// has no .write; f_pos advances only on success.
long vfs_write(File& file, const char* buffer, unsigned long length);

// Buffers from shim_alloc_bytes() not yet freed (also counted in
// Resources::allocations).
long byte_buffers();

} // namespace shim_host
