// SPDX-License-Identifier: GPL-2.0
// IntrusiveQueue.h - a FIFO of objects that carry their own link, so
// queueing never allocates. The queue names the link member it uses, so an
// object can sit in several queues through several links. Not thread-safe:
// keep it in a SpinLockProtected (kernel/SpinLock.h) or under a lock.
#pragma once

namespace kernel {

template<class T>
class QueueLink {
    template<class U, QueueLink<U> U::*>
    friend class IntrusiveQueue;
    T* m_next = nullptr;
};

template<class T, QueueLink<T> T::*Link>
class IntrusiveQueue {
public:
    void push(T& item)
    {
        (item.*Link).m_next = nullptr;
        if (m_tail)
            ((*m_tail).*Link).m_next = &item;
        else
            m_head = &item;
        m_tail = &item;
    }

    T* pop()
    {
        T* item = m_head;
        if (!item)
            return nullptr;
        m_head = ((*item).*Link).m_next;
        if (!m_head)
            m_tail = nullptr;
        return item;
    }

    bool is_empty() const { return m_head == nullptr; }

private:
    T* m_head = nullptr;
    T* m_tail = nullptr;
};

} // namespace kernel
