// SPDX-License-Identifier: GPL-2.0
// shim_host.h - the test-facing side of the user-space shim.
//
// shim_host.cpp implements every function of shim/lothars_shim.h in user
// space with the kernel's semantics (counted completions, interruptible
// waits, threads created stopped, ...). This header gives the tests what a
// kernel gives a developer at run time: the log, fault injection, resource
// accounting, signals, module parameters, and a tiny VFS that opens, reads
// and releases the character device through the file operations the module
// registered, as the kernel's chardev_open()/vfs_read() do.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shim/lothars_shim.h"
#include "tests/host/host_kernel.h"

namespace shim_host {

// ---- reset ------------------------------------------------------------

// Clears the log, the log hook, fault injection, call counters, recorded
// bugs and resets the parameters to their defaults. Live-resource counts
// are not reset: they must come back to zero by themselves.
void reset();

// ---- log ----------------------------------------------------------------

struct LogLine {
    bool error;       // shim_log_error (KERN_ERR) rather than shim_log_info
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
bool wait_for_log(const std::function<bool(const std::string&)>& pred,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10));
bool wait_for_log_line(const std::string& text,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));
// Called with each line, in the logging thread, after the line is stored.
// A hook may block: it holds up only the thread that logs.
void set_log_hook(std::function<void(const LogLine&)> hook);
// Echo each line to stderr as it is logged (also: SHIM_HOST_ECHO=1).
void set_echo(bool echo);

// ---- module parameters --------------------------------------------------

struct Params {
    bool roundtrip = false;
    bool log_events = true;
    bool signal = true; // 0: read() posts nothing (make bench's null read)
    bool quiet = false; // 1: no log line per event
};
void set_params(const Params& params);

// ---- fault injection ------------------------------------------------------

enum class Step {
    alloc,          // shim_alloc: returns NULL (the error is ignored)
    chrdev_region,  // shim_chardev_alloc_region
    cdev_add,       // shim_chardev_add_cdev
    class_create,   // shim_chardev_create_class
    device_create,  // shim_chardev_create_device
    kthread_create, // shim_kthread_create
    copy_to_user,   // shim_copy_to_user
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
    long regions = 0;     // chrdev regions
    long cdevs = 0;
    long classes = 0;
    long devices = 0;
    long threads = 0;     // kthreads created and not yet stopped
    long open_files = 0;  // files opened through the VFS helpers
    bool all_zero() const
    {
        return !allocations && !regions && !cdevs && !classes && !devices && !threads && !open_files;
    }
    bool operator==(const Resources&) const = default;
};
Resources live();
std::string to_string(const Resources& resources);

// Kernel rule violations the shim noticed (sleeping under a spinlock,
// unlocking a mutex one does not hold, freeing unknown memory, tearing
// down a chardev out of order, ...). Each is what lockdep, KASAN or a
// WARN_ON would print in the kernel. Tests expect none.
std::vector<std::string> bugs();

// Names of the kthreads created since the last reset().
std::vector<std::string> kthread_names();

// The numbers the tracepoints saw since the last reset(), in call order:
// shim_event_posted() (a read posting its event) and shim_event_handled()
// (the thread taking it).
std::vector<unsigned long long> events_posted();
std::vector<unsigned long long> events_handled();

// ---- signals ----------------------------------------------------------------

// Each thread that touches the shim has a signal state. A raised signal
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
// True while thread is asleep in a shim wait (completion, wait queue, mutex).
bool is_sleeping(const ThreadHandle& thread);
// The state ps would show: 'S' asleep interruptibly, 'D' asleep
// uninterruptibly (TASK_UNINTERRUPTIBLE or TASK_KILLABLE: the load average
// and the hung-task detector count it), 'R' otherwise.
char task_state(const ThreadHandle& thread);
// The live kthread created with this name (the newest), or null.
ThreadHandle kthread_handle(const std::string& name);
// Waits until thread sleeps in the shim. Returns false on timeout.
bool wait_until_sleeping(const ThreadHandle& thread,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

// ---- the module and its device, as the kernel would drive them -------------

// insmod: lothars_module_load().
int module_load();
// rmmod: -EBUSY while a file of the device is open (fops.owner pins the
// module), otherwise lothars_module_unload() and 0.
int module_unload();
bool module_loaded();

struct File {
    void* chardev = nullptr; // the host chardev the file was opened on
    const file_operations* ops = nullptr;
    inode node {};
    file raw {};             // raw.private_data: what open() attached
    long long pos = 0;       // file->f_pos
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
// The last close.
void vfs_release(File& file);
bool node_exists(const char* node);
unsigned node_major(const char* node);
// A sysfs attribute's show(): calls show with the device's drvdata, as
// kernfs does, with the device held (device_destroy() waits for it); nothing
// without the device.
std::optional<unsigned long long> sysfs_show(const char* node,
                                             const std::function<unsigned long long(void*)>& show);

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
