#include "callshare/tenant/huge_page_allocator.h"

#include <sys/mman.h>

#include <new>

namespace callshare {
namespace {

std::size_t RoundUpToHugePages(std::size_t bytes) {
  return (bytes + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
}

// Whether operator new needs the alignment spelled out.
bool OverAligned(std::size_t alignment) {
  return alignment > __STDCPP_DEFAULT_NEW_ALIGNMENT__;
}

}  // namespace

void* AllocateHugeAware(std::size_t bytes, std::size_t alignment) {
  if (bytes < kHugePageMinBytes) {
    if (OverAligned(alignment)) {
      return ::operator new (bytes, std::align_val_t{alignment});
    }
    return ::operator new(bytes);
  }
  const std::size_t rounded = RoundUpToHugePages(bytes);
  void* pointer = ::operator new (rounded, std::align_val_t{kHugePageBytes});
  // Only a hint: without transparent huge pages this fails and the range
  // stays on small pages.
  madvise(pointer, rounded, MADV_HUGEPAGE);
  return pointer;
}

// The unsized forms of operator delete: clang builds without sized
// deallocation unless asked, and the sizes add nothing here.
void FreeHugeAware(void* pointer, std::size_t bytes, std::size_t alignment) {
  if (bytes >= kHugePageMinBytes) {
    ::operator delete (pointer, std::align_val_t{kHugePageBytes});
  } else if (OverAligned(alignment)) {
    ::operator delete (pointer, std::align_val_t{alignment});
  } else {
    ::operator delete(pointer);
  }
}

}  // namespace callshare
