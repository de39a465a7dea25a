// SPDX-License-Identifier: GPL-2.0
// shim_host.cpp - shim/lothars_shim.h in user space, for the unit tests.
//
// Each function keeps the semantics of its kernel counterpart in
// shim/lothars_shim.c, so module/kthread_module.cpp runs here unchanged:
//   - completions count: complete() releases exactly one wait,
//     complete_all() every wait until reinit; try_wait consumes one;
//   - interruptible/killable sleeps end with -ERESTARTSYS (mutexes: -EINTR)
//     when the test raised a signal for the sleeping thread;
//   - a kthread is created stopped and runs its function only once woken;
//     stopping a thread that never ran returns -EINTR without running it;
//   - wait-queue conditions are re-checked after every wake-up.
// Kernel objects are C++ objects built in place in the shim's opaque
// storage; the static_asserts below check that they fit, as the kernel
// shim checks the kernel's types. Beyond the kernel's semantics it keeps
// accounts (allocations, regions, cdevs, classes, devices, threads), can
// fail the Nth call of a step, and records rule violations the kernel's
// debug options would report.
#include "tests/host/shim_host.h"

#include <pthread.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <new>
#include <set>
#include <string>
#include <thread>
#include <unordered_set>

namespace shim_host {

using Clock = std::chrono::steady_clock;

// ---- per-thread state: signals, sleeping, spinlock depth ----------------

struct Waitable {
    std::mutex m;
    std::condition_variable cv;
    int waiters = 0; // threads asleep on it (under m)
};

struct ThreadState {
    std::atomic<bool> pending {false};
    std::atomic<bool> fatal {false};
    std::atomic<int> sleeping {0};
    std::atomic<char> state {'R'}; // as ps shows it
    int spin_depth = 0; // only its own thread touches it
    std::mutex m;                  // guards waiting_on
    Waitable* waiting_on = nullptr; // what a raised signal has to wake
};

namespace {

thread_local ThreadHandle tls_state;

ThreadState& self()
{
    if (!tls_state)
        tls_state = std::make_shared<ThreadState>();
    return *tls_state;
}

// ---- global state -----------------------------------------------------

struct Fault {
    bool armed = false;
    unsigned fire_at = 0; // calls value at which it fires
    int error = 0;
    unsigned calls = 0;
};

struct Logs {
    std::mutex m;
    std::condition_variable cv;
    std::vector<LogLine> lines;
    std::function<void(const LogLine&)> hook;
    bool echo = getenv("SHIM_HOST_ECHO") && *getenv("SHIM_HOST_ECHO") == '1';
};

struct HostChardev;

struct State {
    std::mutex m; // everything below
    Fault faults[step_count];
    Params params;
    Resources res;
    std::set<unsigned> majors;
    std::set<std::string> classes;
    std::map<std::string, HostChardev*> nodes;
    std::unordered_set<void*> allocations;
    std::vector<std::string> bugs;
    std::vector<std::string> thread_names;
    std::vector<std::pair<std::string, ThreadHandle>> kthreads; // live ones
    std::vector<unsigned long long> posted;
    std::vector<unsigned long long> handled;
    bool module_loaded = false;
    bool module_going = false;
};

// Never destroyed: kthreads may still log while the process exits.
State& g = *new State;
Logs& logs = *new Logs;

void record_bug(const std::string& what)
{
    {
        std::lock_guard guard(g.m);
        g.bugs.push_back(what);
    }
    fprintf(stderr, "shim_host: BUG: %s\n", what.c_str());
}

[[noreturn]] void fatal_bug(const std::string& what)
{
    fprintf(stderr, "shim_host: fatal BUG (the kernel would hang or crash here): %s\n", what.c_str());
    abort();
}

// might_sleep(): CONFIG_DEBUG_ATOMIC_SLEEP's check.
void might_sleep(const char* function)
{
    if (self().spin_depth > 0)
        record_bug(std::string("sleeping function called from invalid context: ") + function +
                   "() under a spinlock");
}

// 0, or the injected error of this call.
int injected(Step step)
{
    std::lock_guard guard(g.m);
    Fault& f = g.faults[static_cast<int>(step)];
    ++f.calls;
    if (f.armed && f.calls == f.fire_at) {
        f.armed = false;
        return f.error;
    }
    return 0;
}

std::string vformat(const char* fmt, va_list args)
{
    va_list copy;
    va_copy(copy, args);
    int n = vsnprintf(nullptr, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return std::string("<bad format: ") + fmt + ">";
    std::string text(static_cast<size_t>(n) + 1, '\0');
    vsnprintf(text.data(), text.size(), fmt, args);
    text.resize(static_cast<size_t>(n));
    return text;
}

void log_line(bool error, std::string text)
{
    LogLine line {error, std::move(text)};
    std::function<void(const LogLine&)> hook;
    {
        std::lock_guard guard(logs.m);
        logs.lines.push_back(line);
        hook = logs.hook;
        if (logs.echo)
            fprintf(stderr, "[dmesg] %s%s\n", error ? "<3>" : "<6>", line.text.c_str());
    }
    logs.cv.notify_all();
    if (hook)
        hook(line);
}

// ---- sleeping -------------------------------------------------------------

enum class Mode { uninterruptible, interruptible, killable };

// Lets raise_signal() find and wake the waitable this thread sleeps on.
class SleepRegistration {
public:
    SleepRegistration(ThreadState& ts, Waitable& w) : m_ts(ts)
    {
        std::lock_guard guard(ts.m);
        ts.waiting_on = &w;
    }
    ~SleepRegistration()
    {
        std::lock_guard guard(m_ts.m);
        m_ts.waiting_on = nullptr;
    }
    SleepRegistration(const SleepRegistration&) = delete;
    SleepRegistration& operator=(const SleepRegistration&) = delete;

private:
    ThreadState& m_ts;
};

// The kernel's wait loop: the condition first (it wins over a pending
// signal and over an expired timeout), then the signal, then the timeout.
// ready() runs with w.m held and may consume what it finds.
template<class Ready>
int sleep_until(Waitable& w, Mode mode, Ready&& ready, const Clock::time_point* deadline,
                int signal_error = -SHIM_ERESTARTSYS)
{
    ThreadState& ts = self();
    SleepRegistration registration(ts, w); // outlives the lock below
    std::unique_lock lock(w.m);
    for (;;) {
        if (ready())
            return 0;
        if (mode == Mode::interruptible && ts.pending.load())
            return signal_error;
        if (mode == Mode::killable && ts.fatal.load())
            return signal_error;
        if (deadline && Clock::now() >= *deadline)
            return -SHIM_ETIMEDOUT;
        ++w.waiters;
        ts.state.store(mode == Mode::interruptible ? 'S' : 'D');
        ts.sleeping.fetch_add(1);
        if (deadline)
            w.cv.wait_until(lock, *deadline);
        else
            w.cv.wait(lock);
        ts.sleeping.fetch_sub(1);
        ts.state.store('R');
        --w.waiters;
    }
}

Clock::time_point deadline_after(unsigned int ms)
{
    return Clock::now() + std::chrono::milliseconds(ms);
}

template<class T, class Storage>
T* as(Storage* storage)
{
    return std::launder(reinterpret_cast<T*>(storage->opaque));
}

template<class T, class Storage>
const T* as(const Storage* storage)
{
    return std::launder(reinterpret_cast<const T*>(storage->opaque));
}

#define HOST_FITS(host_type, shim_type)                                         \
    static_assert(sizeof(host_type) <= sizeof(shim_type) &&                      \
                      alignof(host_type) <= SHIM_STORAGE_ALIGN,                  \
                  #host_type " does not fit " #shim_type)

// ---- kernel objects in their opaque storage ---------------------------

struct HostCompletion : Waitable {
    unsigned int done = 0; // UINT_MAX: complete_all()
};

struct HostWaitqueue : Waitable {};

struct HostMutex : Waitable {
    bool locked = false;
    ThreadState* owner = nullptr;
};

struct HostSpinlock {
    std::mutex m;
    std::atomic<ThreadState*> owner {nullptr};
};

// Built from the zeroed storage (the shim has no chardev init function),
// so it must be valid as all-zero bytes: plain data only.
struct HostChardev {
    unsigned int major;
    unsigned int minor;
    bool region;
    bool cdev;
    bool has_class;
    bool device;
    const file_operations* ops;
    void* drvdata;
    char name[64];
    char class_name[64];
    char node[64];
};

struct HostThread {
    std::mutex m;
    std::condition_variable cv;
    bool woken = false;
    bool stop = false;
    bool ran = false;
    int result = 0;
    shim_thread_fn fn = nullptr;
    void* context = nullptr;
    std::string name;
    ThreadHandle state; // the new thread's, made before it starts
    std::thread thread;
};

HOST_FITS(HostCompletion, shim_completion);
HOST_FITS(HostWaitqueue, shim_waitqueue);
HOST_FITS(HostMutex, shim_mutex);
HOST_FITS(HostSpinlock, shim_spinlock);
HOST_FITS(HostChardev, shim_chardev);
static_assert(sizeof(shim_kthread::task) == sizeof(HostThread*));

void copy_name(char (&to)[64], const char* from)
{
    snprintf(to, sizeof(to), "%s", from ? from : "");
}

// ---- watchdog -------------------------------------------------------------

// A module call that never returns (an exit path waiting for an event
// that never comes, a lost wake-up) would hang the test until ctest's
// timeout. Each call the VFS helpers make into the module is watched
// instead: past the limit the process aborts with the log's tail, so the
// hung test fails in seconds and says where it hung.
class Watchdog {
public:
    static Watchdog& instance()
    {
        static Watchdog* watchdog = new Watchdog; // never destroyed: its thread runs until exit
        return *watchdog;
    }

    unsigned long enter(const char* what)
    {
        std::lock_guard guard(m_mutex);
        if (!m_thread_started) {
            std::thread([this] { watch(); }).detach();
            m_thread_started = true;
        }
        unsigned long id = ++m_next_id;
        m_active.emplace(id, Call {what, Clock::now()});
        return id;
    }

    void leave(unsigned long id)
    {
        std::lock_guard guard(m_mutex);
        m_active.erase(id);
    }

private:
    struct Call {
        const char* what;
        Clock::time_point start;
    };

    Watchdog()
    {
        const char* env = getenv("SHIM_HOST_WATCHDOG_SECONDS");
        if (env && atoi(env) > 0)
            m_limit = std::chrono::seconds(atoi(env));
    }

    void watch()
    {
        for (;;) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            std::lock_guard guard(m_mutex);
            for (const auto& [id, call] : m_active) {
                if (Clock::now() - call.start < m_limit)
                    continue;
                fprintf(stderr, "shim_host: WATCHDOG: %s has not returned after %lld s: the module hangs.\n",
                        call.what, static_cast<long long>(m_limit.count()));
                // try_lock: whatever hangs must not hang the report too.
                if (g.m.try_lock()) {
                    fprintf(stderr, "shim_host: resources: %s\n", to_string(g.res).c_str());
                    g.m.unlock();
                }
                std::vector<LogLine> lines;
                if (logs.m.try_lock()) {
                    lines = logs.lines;
                    logs.m.unlock();
                }
                size_t first = lines.size() > 30 ? lines.size() - 30 : 0;
                fprintf(stderr, "shim_host: the last %zu of %zu log lines:\n", lines.size() - first, lines.size());
                for (size_t i = first; i < lines.size(); ++i)
                    fprintf(stderr, "  %s\n", lines[i].text.c_str());
                abort();
            }
        }
    }

    std::mutex m_mutex;
    std::map<unsigned long, Call> m_active;
    unsigned long m_next_id = 0;
    bool m_thread_started = false;
    std::chrono::seconds m_limit {5};
};

class Watched {
public:
    explicit Watched(const char* what) : m_id(Watchdog::instance().enter(what)) {}
    ~Watched() { Watchdog::instance().leave(m_id); }
    Watched(const Watched&) = delete;
    Watched& operator=(const Watched&) = delete;

private:
    unsigned long m_id;
};

} // namespace

// ---- test-facing API --------------------------------------------------------

void reset()
{
    {
        std::lock_guard guard(g.m);
        for (Fault& f : g.faults)
            f = Fault {};
        g.params = Params {};
        g.bugs.clear();
        g.thread_names.clear();
        g.posted.clear();
        g.handled.clear();
    }
    std::lock_guard guard(logs.m);
    logs.lines.clear();
    logs.hook = nullptr;
}

std::vector<LogLine> log_lines()
{
    std::lock_guard guard(logs.m);
    return logs.lines;
}

std::vector<std::string> log_texts()
{
    std::vector<std::string> texts;
    for (const LogLine& line : log_lines())
        texts.push_back(line.text);
    return texts;
}

size_t log_count(const std::string& text)
{
    size_t count = 0;
    for (const LogLine& line : log_lines())
        count += line.text == text;
    return count;
}

long log_index(const std::string& text, size_t from)
{
    std::vector<LogLine> lines = log_lines();
    for (size_t i = from; i < lines.size(); ++i)
        if (lines[i].text == text)
            return static_cast<long>(i);
    return -1;
}

bool log_contains_substring(const std::string& part)
{
    for (const LogLine& line : log_lines())
        if (line.text.find(part) != std::string::npos)
            return true;
    return false;
}

bool wait_for_log(const std::function<bool(const std::string&)>& pred, std::chrono::milliseconds timeout)
{
    std::unique_lock lock(logs.m);
    size_t checked = 0;
    return logs.cv.wait_for(lock, timeout, [&] {
        for (; checked < logs.lines.size(); ++checked)
            if (pred(logs.lines[checked].text))
                return true;
        return false;
    });
}

bool wait_for_log_line(const std::string& text, std::chrono::milliseconds timeout)
{
    return wait_for_log([&](const std::string& line) { return line == text; }, timeout);
}

void set_log_hook(std::function<void(const LogLine&)> hook)
{
    std::lock_guard guard(logs.m);
    logs.hook = std::move(hook);
}

void set_echo(bool echo)
{
    std::lock_guard guard(logs.m);
    logs.echo = echo;
}

void set_params(const Params& params)
{
    std::lock_guard guard(g.m);
    g.params = params;
}

const char* step_name(Step step)
{
    switch (step) {
    case Step::alloc: return "alloc";
    case Step::chrdev_region: return "chrdev_region";
    case Step::cdev_add: return "cdev_add";
    case Step::class_create: return "class_create";
    case Step::device_create: return "device_create";
    case Step::kthread_create: return "kthread_create";
    case Step::copy_to_user: return "copy_to_user";
    }
    return "?";
}

void fail_nth(Step step, unsigned nth, int error)
{
    std::lock_guard guard(g.m);
    Fault& f = g.faults[static_cast<int>(step)];
    f.armed = nth > 0;
    f.fire_at = f.calls + nth;
    f.error = error;
}

void clear_faults()
{
    std::lock_guard guard(g.m);
    for (Fault& f : g.faults)
        f.armed = false;
}

unsigned calls(Step step)
{
    std::lock_guard guard(g.m);
    return g.faults[static_cast<int>(step)].calls;
}

Resources live()
{
    std::lock_guard guard(g.m);
    return g.res;
}

std::string to_string(const Resources& r)
{
    char text[256];
    snprintf(text, sizeof(text),
             "allocations=%ld regions=%ld cdevs=%ld classes=%ld devices=%ld threads=%ld open_files=%ld",
             r.allocations, r.regions, r.cdevs, r.classes, r.devices, r.threads, r.open_files);
    return text;
}

std::vector<std::string> bugs()
{
    std::lock_guard guard(g.m);
    return g.bugs;
}

std::vector<std::string> kthread_names()
{
    std::lock_guard guard(g.m);
    return g.thread_names;
}

std::vector<unsigned long long> events_posted()
{
    std::lock_guard guard(g.m);
    return g.posted;
}

std::vector<unsigned long long> events_handled()
{
    std::lock_guard guard(g.m);
    return g.handled;
}

char task_state(const ThreadHandle& thread)
{
    return thread->state.load();
}

ThreadHandle kthread_handle(const std::string& name)
{
    std::lock_guard guard(g.m);
    for (auto it = g.kthreads.rbegin(); it != g.kthreads.rend(); ++it)
        if (it->first == name)
            return it->second;
    return nullptr;
}

ThreadHandle current_thread()
{
    self();
    return tls_state;
}

void raise_signal(const ThreadHandle& thread, bool fatal)
{
    if (fatal)
        thread->fatal.store(true);
    thread->pending.store(true);
    // Lock order: thread state, then the waitable (a sleeper never holds
    // its waitable's lock while it takes its own state's lock).
    std::lock_guard guard(thread->m);
    if (Waitable* w = thread->waiting_on) {
        std::lock_guard wake(w->m);
        w->cv.notify_all();
    }
}

void clear_signal(const ThreadHandle& thread)
{
    thread->pending.store(false);
    thread->fatal.store(false);
}

bool signal_pending(const ThreadHandle& thread)
{
    return thread->pending.load();
}

bool is_sleeping(const ThreadHandle& thread)
{
    return thread->sleeping.load() > 0;
}

bool wait_until_sleeping(const ThreadHandle& thread, std::chrono::milliseconds timeout)
{
    Clock::time_point end = Clock::now() + timeout;
    while (!is_sleeping(thread)) {
        if (Clock::now() >= end)
            return false;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return true;
}

int module_load()
{
    {
        std::lock_guard guard(g.m);
        if (g.module_loaded)
            return -EEXIST; // init_module(): the module is already loaded
    }
    int ret;
    {
        Watched watched("insmod: lothars_module_load()");
        ret = lothars_module_load();
    }
    std::lock_guard guard(g.m);
    g.module_loaded = ret == 0;
    return ret;
}

int module_unload()
{
    {
        std::lock_guard guard(g.m);
        if (!g.module_loaded)
            return -ENOENT;
        if (g.res.open_files > 0)
            return -EBUSY; // the open files hold module references
        g.module_going = true;
    }
    {
        Watched watched("rmmod: lothars_module_unload()");
        lothars_module_unload();
    }
    std::lock_guard guard(g.m);
    g.module_going = false;
    g.module_loaded = false;
    return 0;
}

bool module_loaded()
{
    std::lock_guard guard(g.m);
    return g.module_loaded;
}

int vfs_open(const char* node, File& file)
{
    file = File {};
    {
        std::lock_guard guard(g.m);
        auto it = g.nodes.find(node);
        if (it == g.nodes.end())
            return -ENOENT;
        HostChardev* cd = it->second;
        // chrdev_open(): no cdev for the number, or try_module_get() fails.
        if (!cd->cdev || g.module_going)
            return -ENXIO;
        file.chardev = cd;
        file.ops = cd->ops;
        ++g.res.open_files;
    }
    int ret;
    {
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
    long long pos = file.pos; // ksys_read() works on a copy of f_pos
    Watched watched("read()");
    long ret = file.ops->read(&file.raw, buffer, length, &pos);
    if (ret >= 0)
        file.pos = pos;
    return ret;
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
    {
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
    return it == g.nodes.end() ? 0 : it->second->major;
}

std::optional<unsigned long long> sysfs_show(const char* node,
                                             const std::function<unsigned long long(void*)>& show)
{
    // Under the lock, as kernfs holds an active reference that
    // device_destroy() drains: the attribute cannot vanish mid-read.
    std::lock_guard guard(g.m);
    auto it = g.nodes.find(node);
    if (it == g.nodes.end())
        return std::nullopt;
    return show(it->second->drvdata);
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

// ---- the shim itself ----------------------------------------------------------

using namespace shim_host;

extern "C" {

// printk(): the level is the format's "\001<digit>" head; the line ends
// with a newline, which the log stores without.
int kapi_printk(const char* fmt, ...)
{
    int level = 4; // the default message level
    if (fmt[0] == '\001' && fmt[1] >= '0' && fmt[1] <= '7') {
        level = fmt[1] - '0';
        fmt += 2;
    } else {
        record_bug("printk() of a line without a level");
    }
    va_list args;
    va_start(args, fmt);
    std::string text = vformat(fmt, args);
    va_end(args);
    if (text.empty() || text.back() != '\n')
        record_bug("printk() of a line without its newline: " + text);
    else
        text.pop_back();
    int length = static_cast<int>(text.size());
    log_line(level <= 3, std::move(text));
    return length;
}

void* shim_alloc(unsigned long size)
{
    might_sleep("kzalloc");
    if (injected(Step::alloc))
        return nullptr;
    void* memory = calloc(1, size ? size : 1);
    if (!memory)
        return nullptr;
    std::lock_guard guard(g.m);
    g.allocations.insert(memory);
    ++g.res.allocations;
    return memory;
}

void kfree(const void* object)
{
    void* ptr = const_cast<void*>(object);
    if (!ptr)
        return; // kfree(NULL)
    {
        std::lock_guard guard(g.m);
        if (!g.allocations.erase(ptr)) {
            g.bugs.push_back("kfree() of memory not from shim_alloc (or freed twice)");
            fprintf(stderr, "shim_host: BUG: kfree(%p) of unknown memory\n", ptr);
            return;
        }
        --g.res.allocations;
    }
    free(ptr);
}

// ---- completion ----

void shim_completion_init(shim_completion* c, const char*, shim_lock_class_key*)
{
    new (c->opaque) HostCompletion();
}

void shim_completion_reinit(shim_completion* c)
{
    HostCompletion* x = as<HostCompletion>(c);
    bool waited_on;
    {
        std::lock_guard guard(x->m);
        waited_on = x->waiters != 0;
        x->done = 0;
    }
    // Bugs are recorded outside x->m: sysfs reads take g.m, then x->m.
    if (waited_on)
        record_bug("reinit_completion() while a thread waits on it");
}

namespace {

HostCompletion* host_completion(completion* x)
{
    return as<HostCompletion>(reinterpret_cast<shim_completion*>(x));
}

int completion_wait(HostCompletion* x, Mode mode, const Clock::time_point* deadline)
{
    might_sleep("wait_for_completion");
    return sleep_until(
        *x, mode,
        [x] {
            if (!x->done)
                return false;
            if (x->done != UINT_MAX)
                --x->done;
            return true;
        },
        deadline);
}

} // namespace

void wait_for_completion(completion* c)
{
    completion_wait(host_completion(c), Mode::uninterruptible, nullptr);
}

int wait_for_completion_interruptible(completion* c)
{
    return completion_wait(host_completion(c), Mode::interruptible, nullptr);
}

int wait_for_completion_killable(completion* c)
{
    return completion_wait(host_completion(c), Mode::killable, nullptr);
}

int shim_completion_wait_timeout(shim_completion* c, unsigned int ms)
{
    Clock::time_point deadline = deadline_after(ms);
    return completion_wait(as<HostCompletion>(c), Mode::uninterruptible, &deadline);
}

void complete(completion* c)
{
    HostCompletion* x = host_completion(c);
    // Notify under the lock: once it is released, the waiter may free the
    // completion (a session freed right after its answer).
    std::lock_guard guard(x->m);
    if (x->done != UINT_MAX)
        ++x->done;
    x->cv.notify_all();
}

void complete_all(completion* c)
{
    HostCompletion* x = host_completion(c);
    std::lock_guard guard(x->m);
    x->done = UINT_MAX;
    x->cv.notify_all();
}

bool completion_done(completion* c)
{
    HostCompletion* x = host_completion(c);
    std::lock_guard guard(x->m);
    return x->done != 0;
}

bool try_wait_for_completion(completion* c)
{
    HostCompletion* x = host_completion(c);
    std::lock_guard guard(x->m);
    if (!x->done)
        return false;
    if (x->done != UINT_MAX)
        --x->done;
    return true;
}

// ---- wait queue ----

void shim_waitqueue_init(shim_waitqueue* wq, const char*, shim_lock_class_key*)
{
    new (wq->opaque) HostWaitqueue();
}

void kapi_wake_up(wait_queue_head* wq, unsigned int mode, int nr, void* key)
{
    if (mode != KAPI_TASK_NORMAL || nr != 0 || key)
        record_bug("__wake_up() other than wake_up_all()");
    HostWaitqueue* q = as<HostWaitqueue>(reinterpret_cast<shim_waitqueue*>(wq));
    std::lock_guard guard(q->m);
    q->cv.notify_all();
}

void shim_waitqueue_wait(shim_waitqueue* wq, shim_condition_fn cond, void* context)
{
    might_sleep("wait_event");
    sleep_until(*as<HostWaitqueue>(wq), Mode::uninterruptible, [&] { return cond(context); }, nullptr);
}

int shim_waitqueue_wait_interruptible(shim_waitqueue* wq, shim_condition_fn cond, void* context)
{
    might_sleep("wait_event_interruptible");
    return sleep_until(*as<HostWaitqueue>(wq), Mode::interruptible, [&] { return cond(context); }, nullptr);
}

int shim_waitqueue_wait_timeout(shim_waitqueue* wq, shim_condition_fn cond, void* context, unsigned int ms)
{
    might_sleep("wait_event_timeout");
    Clock::time_point deadline = deadline_after(ms);
    return sleep_until(*as<HostWaitqueue>(wq), Mode::uninterruptible, [&] { return cond(context); }, &deadline);
}

// ---- locks ----

void shim_spinlock_init(shim_spinlock* lock, const char*, shim_lock_class_key*)
{
    new (lock->opaque) HostSpinlock();
}

void shim_spinlock_lock(shim_spinlock* lock)
{
    HostSpinlock* s = as<HostSpinlock>(lock);
    ThreadState& ts = self();
    if (s->owner.load() == &ts)
        fatal_bug("spin_lock() of a spinlock this thread holds: deadlock");
    s->m.lock();
    s->owner.store(&ts);
    ++ts.spin_depth;
}

void shim_spinlock_unlock(shim_spinlock* lock)
{
    HostSpinlock* s = as<HostSpinlock>(lock);
    ThreadState& ts = self();
    if (s->owner.load() != &ts) {
        record_bug("spin_unlock() of a spinlock this thread does not hold");
        return;
    }
    --ts.spin_depth;
    s->owner.store(nullptr);
    s->m.unlock();
}

void shim_mutex_init(shim_mutex* lock, const char*, shim_lock_class_key*)
{
    new (lock->opaque) HostMutex();
}

void shim_mutex_destroy(shim_mutex* lock)
{
    HostMutex* x = as<HostMutex>(lock);
    bool locked;
    {
        std::lock_guard guard(x->m);
        locked = x->locked;
    }
    if (locked)
        record_bug("mutex_destroy() of a locked mutex");
    x->~HostMutex();
}

namespace {

HostMutex* host_mutex(mutex* lock)
{
    return as<HostMutex>(reinterpret_cast<shim_mutex*>(lock));
}

int host_mutex_lock(HostMutex* x, Mode mode)
{
    might_sleep("mutex_lock");
    ThreadState* me = &self();
    {
        std::lock_guard guard(x->m);
        if (x->locked && x->owner == me)
            fatal_bug("mutex_lock() of a mutex this thread holds: deadlock");
    }
    // mutex_lock_interruptible() takes a free mutex even with a signal
    // pending; only sleeping for it is interruptible (-EINTR).
    return sleep_until(
        *x, mode,
        [x, me] {
            if (x->locked)
                return false;
            x->locked = true;
            x->owner = me;
            return true;
        },
        nullptr, -SHIM_EINTR);
}

} // namespace

void mutex_lock(mutex* lock)
{
    host_mutex_lock(host_mutex(lock), Mode::uninterruptible);
}

int mutex_lock_interruptible(mutex* lock)
{
    return host_mutex_lock(host_mutex(lock), Mode::interruptible);
}

void mutex_unlock(mutex* lock)
{
    HostMutex* x = host_mutex(lock);
    {
        std::lock_guard guard(x->m);
        if (x->locked && x->owner == &self()) {
            x->locked = false;
            x->owner = nullptr;
            x->cv.notify_all();
            return;
        }
    }
    record_bug("mutex_unlock() of a mutex this thread does not hold");
}

// ---- kernel thread ----

int shim_kthread_create(shim_kthread* thread, shim_thread_fn fn, void* context, const char* name)
{
    might_sleep("kthread_create");
    if (int error = injected(Step::kthread_create))
        return error;
    auto* t = new HostThread;
    t->fn = fn;
    t->context = context;
    t->name = name;
    t->state = std::make_shared<ThreadState>();
    t->thread = std::thread([t] {
        tls_state = t->state;
        // TASK_COMM_LEN: 15 characters and the NUL.
        pthread_setname_np(pthread_self(), t->name.substr(0, 15).c_str());
        std::unique_lock lock(t->m);
        t->cv.wait(lock, [t] { return t->woken || t->stop; });
        // kthread(): the function runs only if nobody asked it to stop
        // before it first got the CPU.
        if (t->stop)
            return;
        t->ran = true;
        lock.unlock();
        int result = t->fn(t->context);
        lock.lock();
        t->result = result;
    });
    thread->task = reinterpret_cast<task_struct*>(t);
    std::lock_guard guard(g.m);
    ++g.res.threads;
    g.thread_names.push_back(name);
    g.kthreads.emplace_back(name, t->state);
    return 0;
}

int wake_up_process(task_struct* task)
{
    auto* t = reinterpret_cast<HostThread*>(task);
    if (!t) {
        record_bug("wake_up_process() of a stopped (freed) kthread");
        return 0;
    }
    std::lock_guard guard(t->m);
    bool was_asleep = !t->woken;
    t->woken = true;
    t->cv.notify_all();
    return was_asleep;
}

int shim_kthread_stop(shim_kthread* thread)
{
    might_sleep("kthread_stop");
    auto* t = reinterpret_cast<HostThread*>(thread->task);
    if (!t) {
        record_bug("kthread_stop() of a stopped (freed) kthread");
        return -SHIM_EINVAL;
    }
    {
        std::lock_guard guard(t->m);
        t->stop = true;
        t->cv.notify_all();
    }
    t->thread.join();
    int ret = t->ran ? t->result : -SHIM_EINTR;
    std::lock_guard guard(g.m);
    for (auto it = g.kthreads.begin(); it != g.kthreads.end(); ++it) {
        if (it->second == t->state) {
            g.kthreads.erase(it);
            break;
        }
    }
    delete t;
    thread->task = nullptr;
    --g.res.threads;
    return ret;
}

// ---- character device ----

int shim_chardev_alloc_region(shim_chardev* cd, const char* name, unsigned int* major_out, unsigned int* minor_out)
{
    might_sleep("alloc_chrdev_region");
    HostChardev* dev = as<HostChardev>(cd);
    if (int error = injected(Step::chrdev_region))
        return error;
    std::lock_guard guard(g.m);
    if (dev->region) {
        g.bugs.push_back("alloc_chrdev_region() twice for one device");
        return -EBUSY;
    }
    // Dynamic majors, as find_dynamic_major() hands them out (-EBUSY when
    // the dynamic range is used up).
    unsigned int major = 0;
    for (unsigned int m = 240; m <= 254; ++m) {
        if (!g.majors.count(m)) {
            major = m;
            break;
        }
    }
    if (!major)
        return -EBUSY;
    g.majors.insert(major);
    dev->major = major;
    dev->minor = 0;
    *major_out = major;
    *minor_out = 0;
    dev->region = true;
    copy_name(dev->name, name);
    ++g.res.regions;
    return 0;
}

void shim_chardev_free_region(shim_chardev* cd)
{
    HostChardev* dev = as<HostChardev>(cd);
    std::lock_guard guard(g.m);
    if (!dev->region) {
        g.bugs.push_back("unregister_chrdev_region() of a region not allocated");
        return;
    }
    if (dev->cdev)
        g.bugs.push_back("unregister_chrdev_region() while its cdev is still added");
    g.majors.erase(dev->major);
    dev->region = false;
    --g.res.regions;
}

int shim_chardev_add_cdev(shim_chardev* cd, const file_operations* fops)
{
    HostChardev* dev = as<HostChardev>(cd);
    {
        std::lock_guard guard(g.m);
        dev->ops = fops;
        if (!dev->region)
            g.bugs.push_back("cdev_add() without an allocated region");
    }
    if (int error = injected(Step::cdev_add))
        return error;
    std::lock_guard guard(g.m);
    dev->cdev = true;
    ++g.res.cdevs;
    return 0;
}

void shim_chardev_del_cdev(shim_chardev* cd)
{
    HostChardev* dev = as<HostChardev>(cd);
    std::lock_guard guard(g.m);
    if (!dev->cdev) {
        g.bugs.push_back("cdev_del() of a cdev not added");
        return;
    }
    dev->cdev = false;
    --g.res.cdevs;
}

int shim_chardev_create_class(shim_chardev* cd, const char* name)
{
    might_sleep("class_create");
    HostChardev* dev = as<HostChardev>(cd);
    if (int error = injected(Step::class_create))
        return error;
    std::lock_guard guard(g.m);
    if (!g.classes.insert(name).second)
        return -EEXIST; // a class of that name is registered already
    copy_name(dev->class_name, name);
    dev->has_class = true;
    ++g.res.classes;
    return 0;
}

void shim_chardev_destroy_class(shim_chardev* cd)
{
    HostChardev* dev = as<HostChardev>(cd);
    std::lock_guard guard(g.m);
    if (!dev->has_class) {
        g.bugs.push_back("class_destroy() of a class not created");
        return;
    }
    if (dev->device)
        g.bugs.push_back("class_destroy() while its device still exists");
    g.classes.erase(dev->class_name);
    dev->has_class = false;
    --g.res.classes;
}

int shim_chardev_create_device(shim_chardev* cd, const char* name, const attribute_group**, void* drvdata)
{
    might_sleep("device_create");
    HostChardev* dev = as<HostChardev>(cd);
    if (int error = injected(Step::device_create))
        return error;
    std::lock_guard guard(g.m);
    if (!dev->has_class) {
        g.bugs.push_back("device_create() without a class");
        return -EINVAL;
    }
    if (!g.nodes.emplace(name, dev).second)
        return -EEXIST;
    copy_name(dev->node, name);
    dev->drvdata = drvdata;
    dev->device = true;
    ++g.res.devices;
    return 0;
}

void shim_chardev_destroy_device(shim_chardev* cd)
{
    HostChardev* dev = as<HostChardev>(cd);
    std::lock_guard guard(g.m);
    if (!dev->device) {
        g.bugs.push_back("device_destroy() of a device not created");
        return;
    }
    g.nodes.erase(dev->node);
    dev->device = false;
    --g.res.devices;
}


void* shim_file_private(const file* f)
{
    return f->private_data;
}

void shim_file_set_private(file* f, void* data)
{
    f->private_data = data;
}

file* shim_iocb_file(const kiocb* iocb)
{
    return iocb->ki_filp;
}

long long* shim_iocb_pos(kiocb* iocb)
{
    return &iocb->ki_pos;
}

unsigned long shim_iter_count(const iov_iter* iter)
{
    return iter->count;
}

int shim_copy_to_iter(iov_iter* iter, const char* from, unsigned long len)
{
    might_sleep("copy_to_iter");
    if (int error = injected(Step::copy_to_user))
        return error;
    if (len > iter->count || (!iter->buffer && len))
        return -SHIM_EFAULT;
    if (len)
        memcpy(iter->buffer, from, len);
    iter->buffer += len;
    iter->count -= len;
    return 0;
}

void shim_report_bug(const char* what)
{
    record_bug(what);
}

void shim_might_sleep(void)
{
    might_sleep("might_sleep");
}

int shim_copy_to_user(char* to, const char* from, unsigned long len)
{
    might_sleep("copy_to_user");
    if (int error = injected(Step::copy_to_user))
        return error;
    if (!to && len)
        return -SHIM_EFAULT;
    if (len)
        memcpy(to, from, len);
    return 0;
}

bool shim_param_roundtrip(void)
{
    std::lock_guard guard(g.m);
    return g.params.roundtrip;
}

bool shim_param_log_events(void)
{
    std::lock_guard guard(g.m);
    return g.params.log_events;
}

bool shim_param_quiet(void)
{
    std::lock_guard guard(g.m);
    return g.params.quiet;
}

bool shim_param_signal(void)
{
    std::lock_guard guard(g.m);
    return g.params.signal;
}

// The tracepoints (shim/lothars_events.c in the kernel); these strong
// definitions are the only ones on the host.
void shim_event_posted(unsigned long long number)
{
    std::lock_guard guard(g.m);
    g.posted.push_back(number);
}

void shim_event_handled(unsigned long long number)
{
    std::lock_guard guard(g.m);
    g.handled.push_back(number);
}

} // extern "C"

// ---- user copies, byte buffers and write(2) ------------------------------------

namespace shim_host {
namespace {
std::atomic<long> live_byte_buffers { 0 };
} // namespace

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

long byte_buffers() { return live_byte_buffers.load(); }

} // namespace shim_host

extern "C" {

// A null source stands for a bad user pointer; the copy_to_user fault
// step fails user copies in either direction.
int shim_copy_from_user(char* to, const char* from, unsigned long len)
{
    might_sleep("copy_from_user");
    if (int error = injected(Step::copy_to_user))
        return error;
    if (!from && len)
        return -SHIM_EFAULT;
    if (len)
        memcpy(to, from, len);
    return 0;
}

// kvmalloc(): counted with the other allocations, failed by Step::alloc.
void* shim_alloc_bytes(unsigned long size)
{
    might_sleep("kvmalloc");
    if (injected(Step::alloc))
        return nullptr;
    void* memory = malloc(size ? size : 1);
    if (!memory)
        return nullptr;
    {
        std::lock_guard guard(g.m);
        g.allocations.insert(memory);
        ++g.res.allocations;
    }
    ++live_byte_buffers;
    return memory;
}

void kvfree(const void* bytes)
{
    void* ptr = const_cast<void*>(bytes);
    if (!ptr)
        return; // kvfree(NULL)
    {
        std::lock_guard guard(g.m);
        if (!g.allocations.erase(ptr)) {
            g.bugs.push_back("kvfree() of memory not from shim_alloc_bytes (or freed twice)");
            fprintf(stderr, "shim_host: BUG: kvfree(%p) of unknown memory\n", ptr);
            return;
        }
        --g.res.allocations;
    }
    --live_byte_buffers;
    free(ptr);
}

} // extern "C"
