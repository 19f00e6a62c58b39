#include "progress.h"

#include <gtest/gtest.h>

namespace callshare::cli {
namespace {

TEST(ProgressTest, SecondsUnderAMinuteAreWhole) {
  EXPECT_EQ(FormatSeconds(0), "0s");
  EXPECT_EQ(FormatSeconds(0.4), "0s");
  EXPECT_EQ(FormatSeconds(42.5), "43s");
  EXPECT_EQ(FormatSeconds(-3), "0s");
}

TEST(ProgressTest, MinutesCarryWhenSecondsRoundUp) {
  EXPECT_EQ(FormatSeconds(59.6), "1m00s");
  EXPECT_EQ(FormatSeconds(60), "1m00s");
  EXPECT_EQ(FormatSeconds(119.6), "2m00s");
  EXPECT_EQ(FormatSeconds(125.2), "2m05s");
  EXPECT_EQ(FormatSeconds(3599.4), "59m59s");
}

TEST(ProgressTest, AnHourOrMoreReadsInHours) {
  EXPECT_EQ(FormatSeconds(3599.6), "1.0h");
  EXPECT_EQ(FormatSeconds(5400), "1.5h");
}

}  // namespace
}  // namespace callshare::cli
