// SPDX-License-Identifier: GPL-2.0
// echo_module.cpp - /dev/echo answers each write() on the next read() of
// the same open file, once its worker thread has taken the request.
#include "kernel/ByteBuffer.h"
#include "kernel/CharDevice.h"
#include "kernel/Completion.h"
#include "kernel/IntrusiveQueue.h"
#include "kernel/KThread.h"
#include "kernel/Mutex.h"
#include "kernel/SpinLock.h"

namespace {
using namespace kernel;

struct Session {
    Mutex lock { KERNEL_LOCK_CLASS("echo_session") }; // one write or read at a time
    Completion answered { KERNEL_LOCK_CLASS("echo_answered") }; // a state: complete_all()
    ByteBuffer bytes;
    unsigned long length = 0;
    bool in_flight = false; // written, not yet read back
    QueueLink<Session> link; // in Echo::m_queue until the worker takes it
};

class Echo {
public:
    static constexpr const char* name = "echo";
    using Session = ::Session;
    Result<void> start(DeviceNumber) MAY_SLEEP { return m_thread.start<&Echo::work>("echo", *this); }
    ~Echo() { m_work.complete(); } // nothing is queued (no file is open): the worker returns
    Result<long> write(File<Session> file, const WriteSource& source, long long*) MAY_SLEEP
    {
        Session& session = *file.session();
        auto guard = TRY(session.lock.lock_interruptible());
        if (session.in_flight)
            return Error::from_errno(SHIM_EBUSY); // read the answer first
        session.bytes = TRY(ByteBuffer::allocate(source.length()));
        TRY(source.copy(session.bytes.data(), source.length()));
        session.length = source.length();
        session.in_flight = true;
        session.answered.reinit_completion(); // nobody waits (we hold the lock), it is not queued
        m_queue.with([&session](auto& queue) { queue.push(session); });
        m_work.complete(); // one request, one wake-up
        return static_cast<long>(session.length);
    }
    Result<long> read(File<Session> file, const ReadTarget& target, long long*) MAY_SLEEP
    {
        Session& session = *file.session();
        auto guard = TRY(session.lock.lock_interruptible());
        if (!session.in_flight)
            return 0L; // nothing written: end of file
        TRY(session.answered.wait_for_completion_interruptible()); // a signal leaves the answer for the next read
        unsigned long count = session.length < target.length() ? session.length : target.length();
        TRY(target.copy(session.bytes.data(), count));
        session.in_flight = false;
        return static_cast<long>(count);
    }
    void release(Session& session) MAY_SLEEP // the worker may still hold it
    {
        if (session.in_flight)
            session.answered.wait_for_completion();
    }

private:
    int work() MAY_SLEEP
    {
        for (;;) {
            while (m_work.wait_for_completion_interruptible().is_error()) {} // kernel threads ignore signals
            Session* session = m_queue.with([](auto& queue) { return queue.pop(); });
            if (!session)
                return 0; // only the stop posts without queueing
            session->answered.complete_all();
        }
    }
    Completion m_work { KERNEL_LOCK_CLASS("echo_work") }; // posted once per request
    SpinLockProtected<IntrusiveQueue<Session, &Session::link>> m_queue { KERNEL_LOCK_CLASS("echo_queue") };
    KThread m_thread; // last: joined first
};
} // namespace

KERNEL_MODULE(Echo, "GPL", "Answers each write on the next read, through a worker thread");
