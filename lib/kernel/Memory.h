// SPDX-License-Identifier: GPL-2.0
// Memory.h - heap objects without exceptions: create<T>() is fallible
// allocation, Result<OwnPtr<T>> (the object, owned, or -ENOMEM, as
// SerenityOS's ErrorOr<NonnullOwnPtr<T>>), and OwnPtr<T> destroys what it owns.
#pragma once

#include "kernel/Context.h"
#include "kernel/Result.h"

namespace kernel {

template<class T>
class OwnPtr;

// The object is built in place in zeroed memory and never moves.
template<class T, class... Args>
Result<OwnPtr<T>> create(Args&&... args) MAY_SLEEP
{
    might_sleep();
    void* memory = shim_alloc(sizeof(T));
    if (!memory)
        return Error::from_errno(SHIM_ENOMEM);
    return OwnPtr<T>(new (memory) T(forward<Args>(args)...));
}

template<class T>
void destroy(T* object) MAY_SLEEP
{
    if (!object)
        return;
    object->~T();
    kfree(object);
}

template<class T>
class OwnPtr {
public:
    // Adopts an object from create() (or one that leak() handed out).
    explicit OwnPtr(T* object) : m_object(object) {}
    OwnPtr(OwnPtr&& other) : m_object(exchange<T*>(other.m_object, nullptr)) {}
    OwnPtr(const OwnPtr&) = delete;
    OwnPtr& operator=(const OwnPtr&) = delete;
    OwnPtr& operator=(OwnPtr&&) = delete;
    ~OwnPtr() { destroy(m_object); }

    T* operator->() const { return m_object; }
    T& operator*() const { return *m_object; }
    explicit operator bool() const { return m_object != nullptr; }
    T* get() const { return m_object; }
    // Hands the object to a caller who will destroy() it.
    T* leak() { return exchange<T*>(m_object, nullptr); }

private:
    T* m_object;
};

} // namespace kernel
