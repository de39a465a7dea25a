// SPDX-License-Identifier: GPL-2.0
// crcpool_module.cpp - crcpool.ko: a pool of kernel threads that compute
// the CRC32C of buffers written to /dev/crcpool.
//
// The classic demo's "real world usage": a write() hands a buffer to the
// workers, the next read() on that descriptor waits until one of them has
// pushed the result back and signalled "done" through the request's
// completion. Requests wait in one FIFO queue (oldest first); each worker
// sleeps on a counting completion that is posted once per queued request.
//
// Ownership: an open file owns its session, and the session owns its one
// request and the request's bytes. The pool only borrows a request while
// it is queued or being computed, and gives it back with complete_all().
// So a close with a request in flight waits for that completion before
// freeing the session (the wait is short: a worker never sleeps between
// taking a request and completing it), and nothing the pool touches is
// ever freed under it.
//
// This file is compiled twice: into crcpool.ko by kbuild, and into the
// host unit tests against a user-space implementation of the shim.

#include "crcpool.h"
#include "kernel/Atomic.h"
#include "kernel/ByteBuffer.h"
#include "kernel/CharDevice.h"
#include "kernel/Completion.h"
#include "kernel/Crc32c.h"
#include "kernel/IntrusiveQueue.h"
#include "kernel/KThread.h"
#include "kernel/Log.h"
#include "kernel/Memory.h"
#include "kernel/Mutex.h"
#include "kernel/Result.h"
#include "kernel/SpinLock.h"
#include "kernel/Text.h"
#include "kernel/UserCopy.h"
#include "kernel/WaitQueue.h"

namespace crcpool {
namespace {

using namespace kernel;

constexpr const char* device_name = "crcpool";

class Pool;

// One write's bytes and, once a worker is done with them, their CRC.
struct Request {
    QueueLink<Request> link; // in Pool::m_queue until a worker takes it
    // "done" is a state, not a count (complete_all()): a reader that was
    // interrupted, or whose buffer was too short, looks at it again.
    Completion done { KERNEL_LOCK_CLASS("crcpool_request_done") };
    const char* data = nullptr; // the session's bytes
    unsigned long length = 0;
    u32 crc = 0; // written by the worker before done
    unsigned int worker = 0;
    u64 seq = 0; // the pool's completions before this one
#ifdef CRCPOOL_BENCH
    Pool* pool = nullptr; // for the work item of the system_wq variant
    alignas(8) unsigned char work[CRCPOOL_BENCH_WORK_SIZE] = {};
#endif
};

// A session's share of the pool's bound on held bytes (max_pinned): taken
// before its request's buffer is allocated, given back when the buffer is
// freed - after the result is read, or with the session, on close.
class PinnedShare {
public:
    PinnedShare() = default;
    KERNEL_PINNED(PinnedShare);
    ~PinnedShare() { give_back(); }

    // False, and nothing taken, when LENGTH more would pass LIMIT. Two
    // writers near the limit may both be refused, never both admitted.
    bool take(Atomic<u64>& total, unsigned long length, unsigned long limit) ANY_CONTEXT
    {
        if (total.add_return(length) > limit) {
            total.add(-static_cast<u64>(length));
            return false;
        }
        m_total = &total;
        m_length = length;
        return true;
    }

    void give_back() ANY_CONTEXT
    {
        if (m_total)
            m_total->add(-static_cast<u64>(m_length));
        m_total = nullptr;
    }

private:
    Atomic<u64>* m_total = nullptr;
    unsigned long m_length = 0;
};

// One open file: at most one request in flight. Declared after bytes, the
// share is given back after they are freed.
struct Session {
    Mutex lock { KERNEL_LOCK_CLASS("crcpool_session_lock") }; // one write or read at a time
    Request request;
    PinnedShare share;
    ByteBuffer bytes;
    bool in_flight = false; // written, result not yet read
};

// A worker thread and what it did (written by its own thread only; read
// after the thread has been joined).
struct Worker {
    Pool* pool = nullptr;
    unsigned int id = 0;
    u64 handled = 0;
    KThread thread;

    int run() MAY_SLEEP;
};

// "0x" and eight hex digits: the kernel's %08x, which Text has no form of.
void append_hex32(Text<96>& line, u32 value)
{
    char digits[11] = { '0', 'x' };
    for (int i = 0; i < 8; ++i)
        digits[2 + i] = "0123456789abcdef"[(value >> (28 - 4 * i)) & 0xf];
    digits[10] = '\0';
    line.append(digits);
}

// The module: one character device whose driver is this class; the
// library (kernel/CharDevice.h) owns the device and finds the pool from
// the file, so no global points at it.
class Pool {
public:
    static constexpr const char* name = device_name;
    static constexpr const char* state_name = "the pool";
    using Session = crcpool::Session;
    static constexpr auto counters()
    {
        return counter_list<Pool>({
            { "submitted", &Pool::submitted },
            { "completed", &Pool::completed },
            { "bytes", &Pool::bytes },
            { "workers", &Pool::workers },
            { "pinned", &Pool::pinned },
        });
    }

    // After the number is reserved, before the node is published.
    Result<void> start(DeviceNumber number) MAY_SLEEP
    {
        for (unsigned int i = 0; i < m_worker_count; ++i)
            TRY(start_worker(i));
        KERNEL_LOG_INFO("crcpool: %u workers, max_request %lu bytes, major = %u, minor = %u", m_worker_count,
            m_max_request, number.major, number.minor);
        return {};
    }

    void published() { m_published = true; }

    // Unloading (and create()'s failure paths): the workers are joined
    // while the device still exists; the library then destroys the device,
    // then this object.
    void stop() MAY_SLEEP
    {
        // No file is open (each pins the module) and each close waited
        // for its request, so nothing should be in flight; the wait makes
        // "the workers stop only after every request is done" hold by
        // itself rather than by that argument.
        m_idle.wait_event([this] { return m_completed.read() == m_submitted.read(); });
        m_stopping.set(true);
        m_work.complete_all(); // every worker's wait returns, for good
        for (Worker& worker : m_workers)
            worker.thread.join();
        if (m_published)
            log_summary();
    }

    Pool() = default;
    KERNEL_PINNED(Pool);

    // ---- file operations, called by the kernel through the library ----

    Result<long> write(File<Session> file, const WriteSource& source, long long*) MAY_SLEEP
    {
        return submit(*file.session(), source);
    }

    Result<long> read(File<Session> file, const ReadTarget& target, long long*) MAY_SLEEP
    {
        return collect(*file.session(), target);
    }

    void release(Session& session) MAY_SLEEP
    {
        // A request still queued or being computed belongs to the session
        // but is borrowed by the pool: wait until it is given back.
        // Uninterruptible, because the memory must not be freed early; the
        // wait is the queue ahead of it, and workers never sleep mid-request.
        if (session.in_flight)
            session.request.done.wait_for_completion();
#ifdef CRCPOOL_BENCH
        crcpool_bench_flush(session.request.work); // the work item has returned
#endif
    }

    unsigned long long submitted() ANY_CONTEXT { return m_submitted.read(); }
    unsigned long long completed() ANY_CONTEXT { return m_completed.read(); }
    unsigned long long bytes() ANY_CONTEXT { return m_bytes.read(); }
    unsigned long long workers() ANY_CONTEXT { return m_worker_count; }
    unsigned long long pinned() ANY_CONTEXT { return m_pinned.read(); }

    // ---- the workers ----------------------------------------------------

    int work(Worker& worker) MAY_SLEEP
    {
        for (;;) {
            // Interruptible, so idle workers sleep in state S (no load
            // average, no hung-task report). Kernel threads ignore
            // signals: an early return only means "wait again".
            while (m_work.wait_for_completion_interruptible().is_error()) {}
            Request* request = m_queue.with([](auto& queue) { return queue.pop(); });
            if (!request) {
                // Only the stop posts without queueing (complete_all()).
                if (m_stopping.read())
                    return 0;
                continue;
            }
            ++worker.handled;
            finish(*request, worker.id);
        }
    }

    // Computes a request's CRC and hands the request back to its session.
    void finish(Request& request, unsigned int worker) ANY_CONTEXT
    {
        request.crc = crc32c_checksum(request.data, request.length);
        request.worker = worker;
        // The completion order, shown to the reader: with one worker it
        // is the queue's order, which makes the FIFO observable.
        request.seq = m_completed.fetch_add(1);
        // Handed back: from here on the session may free the request.
        request.done.complete_all();
        m_idle.wake_up_all();
    }

private:
    Result<void> start_worker(unsigned int id) MAY_SLEEP
    {
        Worker& worker = m_workers[id];
        worker.pool = this;
        worker.id = id;
        Text<16> name; // TASK_COMM_LEN: "crcpool/63" and the NUL fit
        name.append("crcpool/").append_decimal(id);
        auto created = worker.thread.create<&Worker::run>(name.data(), worker);
        if (created.is_error()) {
            KERNEL_LOG_ERROR("kthread_create() of %s failed: error %d", name.data(), created.error().code());
            return created.error();
        }
        worker.thread.wake();
        return {};
    }

    static Result<MutexGuard> lock(Session& session) MAY_SLEEP
    {
        auto locked = session.lock.lock_interruptible();
        if (locked.is_error())
            return Error::from_errno(SHIM_ERESTARTSYS); // restartable, as the waits are
        return locked.release_value();
    }

    Result<long> submit(Session& session, const WriteSource& source) MAY_SLEEP
    {
        unsigned long length = source.length();
        if (length == 0 || length > m_max_request) {
            refused(length ? "write larger than max_request" : "empty write", length);
            return Error::from_errno(SHIM_EINVAL);
        }
        auto guard = TRY(lock(session));
        if (session.in_flight) {
            refused("write before the previous result was read", length);
            return Error::from_errno(SHIM_EBUSY);
        }
        // Bounded across files: one user with many descriptors cannot make
        // the kernel hold more than max_pinned bytes of unread requests.
        if (!session.share.take(m_pinned, length, m_max_pinned)) {
            refused("write over max_pinned: unread requests hold too much", length);
            return Error::from_errno(SHIM_EAGAIN);
        }
        auto bytes = ByteBuffer::allocate(length);
        if (bytes.is_error()) {
            session.share.give_back();
            refused("no memory for the request", length);
            return bytes.error();
        }
        // Copied whole before anything is queued: a bad pointer refuses
        // the write, and the bytes go with this scope.
        if (source.copy(bytes.value().data(), length).is_error()) {
            session.share.give_back();
            refused("bad buffer address", length);
            return Error::from_errno(SHIM_EFAULT);
        }
        session.bytes = bytes.release_value();
        Request& request = session.request;
        request.data = session.bytes.data();
        request.length = length;
        // Re-armed only here: nobody waits on it (we hold the session's
        // lock) and nobody completes it (it is not queued).
        request.done.reinit_completion();
        session.in_flight = true;
        m_submitted.fetch_add(1);
        m_bytes.fetch_add(length);
        hand_over(request);
        return static_cast<long>(length);
    }

    void hand_over(Request& request) ANY_CONTEXT
    {
#ifdef CRCPOOL_BENCH
        // make bench's variants (bench/crcpool): the same request computed
        // by write() itself, or by a work item on system_wq.
        if (m_bench_mode == CRCPOOL_BENCH_INLINE)
            return finish(request, 0);
        if (m_bench_mode == CRCPOOL_BENCH_WQ) {
            request.pool = this;
            return crcpool_bench_queue(request.work, &request);
        }
#endif
        m_queue.with([&request](auto& queue) { queue.push(request); });
        m_work.complete(); // one request, one worker woken: never merged
    }

    Result<long> collect(Session& session, const ReadTarget& target) MAY_SLEEP
    {
        auto guard = TRY(lock(session));
        if (!session.in_flight) {
            refused("read without a request", target.length());
            return Error::from_errno(SHIM_EINVAL);
        }
        // A signal ends the wait, not the request: it stays in flight and
        // the next read() on the descriptor collects its result.
        TRY(session.request.done.wait_for_completion_interruptible());

        Text<96> line;
        line.append("crc32c=");
        append_hex32(line, session.request.crc);
        line.append(" worker=").append_decimal(session.request.worker);
        line.append(" bytes=").append_decimal(session.request.length);
        line.append(" seq=").append_decimal(session.request.seq).append("\n");
        // A short buffer gets nothing rather than half a line: the result
        // stays, for a read with room for it.
        if (target.length() < line.length()) {
            refused("read buffer shorter than the result line", target.length());
            return Error::from_errno(SHIM_EINVAL);
        }
        TRY(target.copy(line.data(), line.length())); // EFAULT: the result stays too
        session.in_flight = false;
        session.bytes.release();
        session.share.give_back();
        return static_cast<long>(line.length());
    }

    // One line per refused request, rate-limited: a misbehaving writer
    // cannot flood the log.
    static void refused(const char* why, unsigned long length) MAY_SLEEP
    {
        KERNEL_LOG_INFO_RATELIMITED("%s (%lu bytes): refused", why, length);
    }

    void log_summary() MAY_SLEEP
    {
        Text<400> per_worker;
        for (unsigned int i = 0; i < m_worker_count; ++i)
            per_worker.append(i ? " " : "").append_decimal(m_workers[i].handled);
        KERNEL_LOG_INFO("crcpool: unloaded: %llu requests, %llu bytes, %u workers (requests per worker: %s)",
            m_completed.read(), m_bytes.read(), m_worker_count, per_worker.data());
    }

    // Declaration order is construction order; destruction runs backwards.
    const unsigned int m_worker_count = crcpool_param_workers();
    const unsigned long m_max_request = crcpool_param_max_request();
    const unsigned long m_max_pinned = crcpool_param_max_pinned();
#ifdef CRCPOOL_BENCH
    const unsigned int m_bench_mode = crcpool_param_mode();
#endif
    Atomic<u64> m_submitted;
    Atomic<u64> m_completed;
    Atomic<u64> m_bytes;
    Atomic<u64> m_pinned; // bytes the sessions hold (PinnedShare)
    Atomic<bool> m_stopping;
    bool m_published = false;
    // Posted once per queued request (a count: N requests wake N waits),
    // and with complete_all() once to stop.
    Completion m_work { KERNEL_LOCK_CLASS("crcpool_work") };
    WaitQueue m_idle { KERNEL_LOCK_CLASS("crcpool_idle") }; // woken whenever a request completes
    // The requests waiting for a worker, oldest first; reachable only
    // under their lock.
    SpinLockProtected<IntrusiveQueue<Request, &Request::link>> m_queue { KERNEL_LOCK_CLASS("crcpool_queue_lock") };
    Worker m_workers[CRCPOOL_MAX_WORKERS];
};

int Worker::run() { return pool->work(*this); }

} // namespace
} // namespace crcpool

#ifdef CRCPOOL_BENCH
extern "C" void crcpool_bench_run(void* request)
{
    auto* r = static_cast<crcpool::Request*>(request);
    r->pool->finish(*r, 0);
}
#endif

// ---- module_init and module_exit (crcpool_main.c) -------------------------

extern "C" int crcpool_module_load(void)
{
    int error = kernel::Module<crcpool::Pool>::load();
    if (error)
        KERNEL_LOG_ERROR("loading failed: error %d", error);
    return error;
}

extern "C" void crcpool_module_unload(void) { kernel::Module<crcpool::Pool>::unload(); }
