// A std::vector allocator that backs large arrays with 2 MiB pages.
//
// Why: the tenant tables and the simulator's per-person arrays are read at
// random. With 4 KiB pages a random read past a few MiB misses the TLB as
// well as the cache, and the page walk is a second dependent miss.
// Transparent huge pages are often in `madvise` mode, so an array gets
// them only when asked. This allocator asks: an allocation of at least
// kHugePageMinBytes is placed at a 2 MiB boundary, rounded up to whole
// 2 MiB pages, and marked MADV_HUGEPAGE. Smaller ones go to operator new.
//
// Falls back gracefully: where the kernel has no transparent huge pages
// madvise fails and is ignored, and the memory works as ordinary pages.
//
// Cost: up to one 2 MiB page of slack per large array, at most as much
// again as the array itself because of kHugePageMinBytes.
#ifndef CALLSHARE_TENANT_HUGE_PAGE_ALLOCATOR_H_
#define CALLSHARE_TENANT_HUGE_PAGE_ALLOCATOR_H_

#include <cstddef>
#include <vector>

namespace callshare {

// The x86-64 and AArch64 (4 KiB granule) transparent huge page.
inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

// Allocations from this size get huge pages: half a page, so that the
// slack never exceeds the array. A 1 MiB array (traits or presence bytes
// of a million users) read at random still spans 256 small pages.
inline constexpr std::size_t kHugePageMinBytes = kHugePageBytes / 2;
static_assert((kHugePageBytes & (kHugePageBytes - 1)) == 0,
              "the alignment must be a power of two");

// Raw allocation behind HugePageAllocator, aligned to at least
// `alignment` (the element type's: a UserRecord wants 32 bytes, more than
// plain operator new promises); `bytes` and `alignment` must be the same
// in both calls. Allocation failure behaves as operator new's.
void* AllocateHugeAware(std::size_t bytes, std::size_t alignment);
void FreeHugeAware(void* pointer, std::size_t bytes, std::size_t alignment);

template <typename T>
class HugePageAllocator {
 public:
  using value_type = T;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: rebinding

  T* allocate(std::size_t n) {
    return static_cast<T*>(AllocateHugeAware(n * sizeof(T), alignof(T)));
  }
  void deallocate(T* pointer, std::size_t n) {
    FreeHugeAware(pointer, n * sizeof(T), alignof(T));
  }

  // Stateless: any instance frees what another allocated.
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

// A vector whose storage gets huge pages once it is large.
template <typename T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace callshare

#endif  // CALLSHARE_TENANT_HUGE_PAGE_ALLOCATOR_H_
