// SPDX-License-Identifier: GPL-2.0
// IntrusiveQueue.h - a FIFO of objects that carry their own link, so
// queueing never allocates. Not thread-safe: the owner holds a lock.
#pragma once

namespace kernel {

template<class T>
class IntrusiveQueue {
public:
    class Link {
        friend class IntrusiveQueue;
        T* m_next = nullptr;
    };

    void push(T& item)
    {
        link_of(item).m_next = nullptr;
        if (m_tail)
            link_of(*m_tail).m_next = &item;
        else
            m_head = &item;
        m_tail = &item;
    }

    T* pop()
    {
        T* item = m_head;
        if (!item)
            return nullptr;
        m_head = link_of(*item).m_next;
        if (!m_head)
            m_tail = nullptr;
        return item;
    }

    bool is_empty() const { return m_head == nullptr; }

private:
    // T names its link member queue_link.
    static Link& link_of(T& item) { return item.queue_link; }

    T* m_head = nullptr;
    T* m_tail = nullptr;
};

} // namespace kernel
