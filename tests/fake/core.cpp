// SPDX-License-Identifier: GPL-2.0
// core.cpp - the host fake's shared machinery (fake.h) and the
// test-facing API of host.h, but for the VFS (vfs.cpp).
//
// Beyond the kernel's semantics, which the files named after kernel
// headers keep, the fake keeps accounts (allocations, regions, cdevs,
// classes, devices, threads), can fail the Nth call of a step, records
// rule violations the kernel's debug options would report, and watches
// every call into a module so that a hang fails fast.
#include "fake/fake.h"

#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <thread>

namespace shim_host {

thread_local ThreadHandle tls_state;

ThreadState& self()
{
    if (!tls_state)
        tls_state = std::make_shared<ThreadState>();
    return *tls_state;
}

State& g = *new State;

namespace {

struct Logs {
    std::mutex m;
    std::condition_variable cv;
    std::vector<LogLine> lines;
    std::function<void(const LogLine&)> hook;
    bool echo = getenv("SHIM_HOST_ECHO") && *getenv("SHIM_HOST_ECHO") == '1';
};

// Never destroyed, as g.
Logs& logs = *new Logs;

} // namespace

void record_bug(const std::string& what)
{
    std::lock_guard guard(g.m);
    record_bug_locked(what);
}

void record_bug_locked(const std::string& what)
{
    g.bugs.push_back(what);
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
        record_bug(std::string("sleeping function called from invalid context: ") + function + "() under a spinlock");
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
    LogLine line { error, std::move(text) };
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

// ---- watchdog -------------------------------------------------------------

namespace {

// A module call that never returns (an exit path waiting for an event
// that never comes, a lost wake-up) would hang the test until ctest's
// timeout. Each call insmod, rmmod and the VFS helpers make into the
// module is watched instead: past the limit the process aborts with the
// log's tail, so the hung test fails in seconds and says where it hung.
class Watchdog {
public:
    static Watchdog& instance()
    {
        static Watchdog* watchdog = new Watchdog; // never destroyed: its thread runs until exit
        return *watchdog;
    }

    unsigned long enter(std::string what)
    {
        std::lock_guard guard(m_mutex);
        if (!m_thread_started) {
            std::thread([this] { watch(); }).detach();
            m_thread_started = true;
        }
        unsigned long id = ++m_next_id;
        m_active.emplace(id, Call { std::move(what), Clock::now() });
        return id;
    }

    void leave(unsigned long id)
    {
        std::lock_guard guard(m_mutex);
        m_active.erase(id);
    }

private:
    struct Call {
        std::string what;
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
                    call.what.c_str(), static_cast<long long>(m_limit.count()));
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
    std::chrono::seconds m_limit { 5 };
};

} // namespace

Watched::Watched(const char* what) : m_id(Watchdog::instance().enter(what)) {}

Watched::~Watched() { Watchdog::instance().leave(m_id); }

// ---- test-facing API --------------------------------------------------------

void reset()
{
    {
        std::lock_guard guard(g.m);
        for (Fault& f : g.faults)
            f = Fault {};
        g.bugs.clear();
        g.thread_names.clear();
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

const char* step_name(Step step)
{
    // In the order of enum Step (host.h).
    static constexpr const char* names[]
        = { "alloc", "chrdev_region", "cdev_add", "class_create", "device_create", "kthread_create", "copy_to_user" };
    static_assert(std::size(names) == static_cast<std::size_t>(step_count), "a Step without a name");
    auto index = static_cast<unsigned>(step);
    return index < std::size(names) ? names[index] : "?";
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
        "allocations=%ld regions=%ld cdevs=%ld classes=%ld devices=%ld threads=%ld open_files=%ld", r.allocations,
        r.regions, r.cdevs, r.classes, r.devices, r.threads, r.open_files);
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

char task_state(const ThreadHandle& thread) { return thread->state.load(); }

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

bool signal_pending(const ThreadHandle& thread) { return thread->pending.load(); }

bool is_sleeping(const ThreadHandle& thread) { return thread->sleeping.load() > 0; }

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

int module_load(const Module& module)
{
    {
        std::lock_guard guard(g.m);
        if (g.module_loaded)
            return -EEXIST; // init_module(): a module is loaded already
    }
    int ret;
    {
        Watched watched((std::string("insmod ") + module.name + ": its init()").c_str());
        ret = module.init();
    }
    std::lock_guard guard(g.m);
    g.module_loaded = ret == 0;
    if (g.module_loaded)
        g.module = module;
    return ret;
}

int module_unload()
{
    Module module;
    {
        std::lock_guard guard(g.m);
        if (!g.module_loaded)
            return -ENOENT;
        if (g.res.open_files > 0)
            return -EBUSY; // the open files hold module references
        g.module_going = true;
        module = g.module;
    }
    {
        Watched watched((std::string("rmmod ") + module.name + ": its exit()").c_str());
        module.exit();
    }
    std::lock_guard guard(g.m);
    g.module_going = false;
    g.module_loaded = false;
    g.module = Module {};
    return 0;
}

bool module_loaded()
{
    std::lock_guard guard(g.m);
    return g.module_loaded;
}

} // namespace shim_host
