#include "fuzz_util.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace callshare::fuzz {
namespace fs = std::filesystem;

const fs::path& ScratchFolder() {
  // /dev/shm keeps the files in memory, which roughly doubles execs/s
  // over a disk-backed /tmp.
  static const fs::path folder = [] {
    std::error_code error;
    const fs::path base = fs::is_directory("/dev/shm", error)
                              ? fs::path("/dev/shm")
                              : fs::temp_directory_path();
    fs::path path = base / ("callshare_fuzz_" + std::to_string(::getpid()));
    fs::create_directories(path);
    return path;
  }();
  return folder;
}

fs::path ScratchSubfolder(std::string_view name) {
  fs::path path = ScratchFolder() / name;
  fs::create_directories(path);
  return path;
}

void WriteBytes(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
}

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<std::string_view> Split(std::string_view bytes, char separator,
                                    std::size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const std::size_t at = bytes.find(separator);
    if (at == std::string_view::npos) break;
    parts.push_back(bytes.substr(0, at));
    bytes.remove_prefix(at + 1);
  }
  parts.push_back(bytes);
  return parts;
}

void Require(bool condition, std::string_view what,
             const Diagnostics& diagnostics) {
  if (condition) return;
  std::fprintf(stderr, "invariant broken: %.*s\n", int(what.size()),
               what.data());
  for (const Diagnostic& diagnostic : diagnostics) {
    std::fprintf(stderr, "  %s\n", diagnostic.ToString().c_str());
  }
  std::abort();
}

void RequireExplained(bool loaded, const Diagnostics& diagnostics) {
  for (const Diagnostic& diagnostic : diagnostics) {
    Require(!diagnostic.message.empty(), "a diagnostic without a message",
            diagnostics);
  }
  if (loaded) {
    Require(!HasErrors(diagnostics), "loaded despite an error", diagnostics);
  } else {
    Require(HasErrors(diagnostics), "refused without an error", diagnostics);
  }
}

}  // namespace callshare::fuzz
