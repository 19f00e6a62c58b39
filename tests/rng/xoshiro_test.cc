#include "callshare/rng/xoshiro.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace callshare {
namespace {

// One line of the reference file: what to build, what to do, what to expect.
struct VectorCase {
  std::string line;
  std::vector<std::string> words;  // the words before the '|'
  std::vector<std::uint64_t> expected;
};

std::vector<std::string> SplitWords(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

std::vector<VectorCase> ReadCases() {
  std::ifstream in(CALLSHARE_TEST_DATA "/xoshiro256pp.txt");
  std::vector<VectorCase> cases;
  for (std::string line; std::getline(in, line);) {
    const std::size_t bar = line.find('|');
    if (line.empty() || line[0] == '#' || bar == std::string::npos) continue;
    VectorCase one{line, SplitWords(line.substr(0, bar)), {}};
    std::istringstream outputs(line.substr(bar + 1));
    for (std::uint64_t value; outputs >> value;) one.expected.push_back(value);
    cases.push_back(one);
  }
  return cases;
}

// The state a "state=..." word names: four numbers, or four successive
// SplitMix64 outputs of a seed.
Xoshiro256pp::State ParseState(const std::string& word) {
  const std::string value = word.substr(word.find('=') + 1);
  Xoshiro256pp::State state = {0, 0, 0, 0};
  const std::string mixed = "splitmix64(";
  if (value.rfind(mixed, 0) == 0) {
    SplitMix64 mixer(std::stoull(value.substr(mixed.size())));
    for (std::uint64_t& word_value : state) word_value = mixer.Next();
    return state;
  }
  std::istringstream in(value);
  std::string part;
  for (std::uint64_t& word_value : state) {
    std::getline(in, part, ',');
    word_value = std::stoull(part);
  }
  return state;
}

std::vector<std::uint64_t> RunXoshiroCase(const VectorCase& one) {
  Xoshiro256pp rng(ParseState(one.words.at(1)));
  for (std::size_t i = 2; i < one.words.size(); ++i) {
    if (one.words[i] == "jump") rng.Jump();
    if (one.words[i] == "long_jump") rng.LongJump();
  }
  std::vector<std::uint64_t> outputs;
  for (std::size_t i = 0; i < one.expected.size(); ++i) {
    outputs.push_back(rng.Next());
  }
  return outputs;
}

std::vector<std::uint64_t> RunSplitMixCase(const VectorCase& one) {
  const std::string& seed = one.words.at(1);
  SplitMix64 mixer(std::stoull(seed.substr(seed.find('=') + 1)));
  std::vector<std::uint64_t> outputs;
  for (std::size_t i = 0; i < one.expected.size(); ++i) {
    outputs.push_back(mixer.Next());
  }
  return outputs;
}

TEST(XoshiroTest, MatchesEveryReferenceVectorBitForBit) {
  const std::vector<VectorCase> cases = ReadCases();
  ASSERT_EQ(cases.size(), 6U) << "reference file missing or changed";
  for (const VectorCase& one : cases) {
    ASSERT_FALSE(one.expected.empty()) << one.line;
    if (one.words.at(0) == "xoshiro256pp") {
      EXPECT_EQ(RunXoshiroCase(one), one.expected) << one.line;
    } else {
      ASSERT_EQ(one.words.at(0), "splitmix64") << one.line;
      EXPECT_EQ(RunSplitMixCase(one), one.expected) << one.line;
    }
  }
}

TEST(XoshiroTest, SeedConstructorUsesFourSplitMixOutputs) {
  SplitMix64 mixer(42);
  const Xoshiro256pp::State expected = {mixer.Next(), mixer.Next(),
                                        mixer.Next(), mixer.Next()};
  EXPECT_EQ(Xoshiro256pp(42).state(), expected);
}

TEST(XoshiroTest, SameSeedGivesSameStreamAndOtherSeedsDiffer) {
  Xoshiro256pp first(7);
  Xoshiro256pp second(7);
  Xoshiro256pp other(8);
  int differing = 0;
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t value = first();
    EXPECT_EQ(value, second());
    differing += value != other() ? 1 : 0;
  }
  EXPECT_EQ(differing, 1000);
}

TEST(XoshiroTest, JumpsGiveDistinctStreamsFromOneSeed) {
  Xoshiro256pp base(1);
  Xoshiro256pp jumped = base;
  jumped.Jump();
  Xoshiro256pp long_jumped = base;
  long_jumped.LongJump();
  EXPECT_NE(base.state(), jumped.state());
  EXPECT_NE(base.state(), long_jumped.state());
  EXPECT_NE(jumped.state(), long_jumped.state());
}

TEST(XoshiroTest, StateResumesTheStream) {
  Xoshiro256pp rng(3);
  rng.Next();
  Xoshiro256pp resumed(rng.state());
  EXPECT_EQ(rng.Next(), resumed.Next());
}

}  // namespace
}  // namespace callshare
