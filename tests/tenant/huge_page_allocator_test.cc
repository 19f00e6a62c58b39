#include "callshare/tenant/huge_page_allocator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>

namespace callshare {
namespace {

TEST(HugePageAllocatorTest, LargeArraysStartAtAHugePageBoundary) {
  HugeVector<std::uint32_t> values(kHugePageMinBytes / sizeof(std::uint32_t));
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(values.data()) % kHugePageBytes,
            0u);
}

// A small array of an over-aligned type keeps the type's alignment:
// operator new alone promises only 16 bytes.
TEST(HugePageAllocatorTest, SmallArraysKeepTheirTypesAlignment) {
  struct alignas(64) Line {
    std::uint8_t byte = 0;
  };
  for (std::size_t n = 1; n < 40; ++n) {
    HugeVector<Line> lines(n);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(lines.data()) % alignof(Line),
              0u);
  }
}

TEST(HugePageAllocatorTest, GrowsAcrossTheThresholdKeepingValues) {
  HugeVector<std::uint64_t> values;
  const std::size_t n = 3 * kHugePageBytes / sizeof(std::uint64_t);
  for (std::uint64_t i = 0; i < n; ++i) values.push_back(i);
  std::uint64_t sum =
      std::accumulate(values.begin(), values.end(), std::uint64_t{0});
  EXPECT_EQ(sum, n * (n - 1) / 2);
  values.resize(4);
  values.shrink_to_fit();
  EXPECT_EQ(values.back(), 3u);
}

}  // namespace
}  // namespace callshare
