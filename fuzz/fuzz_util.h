// What every fuzz target shares: a scratch folder of its own, file
// helpers, and the invariant every loader keeps whatever its input.
#ifndef CALLSHARE_FUZZ_FUZZ_UTIL_H_
#define CALLSHARE_FUZZ_FUZZ_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "callshare/tenant/diagnostic.h"

namespace callshare::fuzz {

// A folder of this process's own under the temp folder, created on first
// use. Callers overwrite the files they use; nothing is cleaned up, since
// libFuzzer ends the process by exit or abort.
const std::filesystem::path& ScratchFolder();

// ScratchFolder() / name, created when missing.
std::filesystem::path ScratchSubfolder(std::string_view name);

// Replaces `path` with exactly `bytes`.
void WriteBytes(const std::filesystem::path& path, std::string_view bytes);

std::string ReadBytes(const std::filesystem::path& path);

// Splits `bytes` at every `separator` into at most `max_parts` pieces;
// the last piece keeps any further separators.
std::vector<std::string_view> Split(std::string_view bytes, char separator,
                                    std::size_t max_parts);

// Aborts with `what` and the diagnostics when `condition` is false, so
// that libFuzzer records the input as a crash.
void Require(bool condition, std::string_view what,
             const Diagnostics& diagnostics = {});

// A failed load must say why: at least one error, none without a
// message. An accepted load may carry warnings but no error.
void RequireExplained(bool loaded, const Diagnostics& diagnostics);

}  // namespace callshare::fuzz

#endif  // CALLSHARE_FUZZ_FUZZ_UTIL_H_
