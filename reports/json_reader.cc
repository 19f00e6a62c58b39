#include "json_reader.h"

#include <limits>
#include <utility>

namespace callshare {
namespace {

std::string Join(const std::string& path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return path + "." + std::string(key);
}

}  // namespace

void JsonReader::Fail(const std::string& path, std::string message) {
  ok_ = false;
  if (errors_ == nullptr) return;
  errors_->push_back(
      {Diagnostic::Severity::kError, file_, 0, path, std::move(message)});
}

JsonNode JsonReader::Member(const JsonNode& parent, std::string_view key) {
  const std::string path = Join(parent.path, key);
  if (parent.json == nullptr) return {nullptr, path};
  const auto found = parent.json->find(key);
  if (found == parent.json->end()) {
    Fail(path, "missing");
    return {nullptr, path};
  }
  return {&*found, path};
}

JsonNode JsonReader::Typed(const JsonNode& parent, std::string_view key,
                           bool (Json::*check)() const noexcept,
                           const char* expected) {
  JsonNode node = Member(parent, key);
  if (node.json != nullptr && !(node.json->*check)()) {
    Fail(node.path, std::string("expected ") + expected);
    node.json = nullptr;
  }
  return node;
}

JsonNode JsonReader::Object(const JsonNode& parent, std::string_view key) {
  return Typed(parent, key, &Json::is_object, "an object");
}

JsonNode JsonReader::Array(const JsonNode& parent, std::string_view key) {
  return Typed(parent, key, &Json::is_array, "an array");
}

JsonNode JsonReader::Element(const JsonNode& parent, std::size_t index) {
  std::string path = parent.path + "[" + std::to_string(index) + "]";
  if (parent.json == nullptr) return {nullptr, std::move(path)};
  return {&(*parent.json)[index], std::move(path)};
}

double JsonReader::Number(const JsonNode& parent, std::string_view key) {
  const JsonNode node = Typed(parent, key, &Json::is_number, "a number");
  return node.json == nullptr ? 0.0 : node.json->get<double>();
}

std::optional<double> JsonReader::NumberOrNull(const JsonNode& parent,
                                               std::string_view key) {
  const JsonNode node = Member(parent, key);
  if (node.json == nullptr || node.json->is_null()) return std::nullopt;
  if (!node.json->is_number()) {
    Fail(node.path, "expected a number or null");
    return std::nullopt;
  }
  return node.json->get<double>();
}

std::uint64_t JsonReader::Count(const JsonNode& parent, std::string_view key) {
  const JsonNode node = Member(parent, key);
  if (node.json == nullptr) return 0;
  if (!node.json->is_number_unsigned()) {
    Fail(node.path, "expected a whole number, 0 or more");
    return 0;
  }
  return node.json->get<std::uint64_t>();
}

std::uint32_t JsonReader::Count32(const JsonNode& parent,
                                  std::string_view key) {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint32_t>::max();
  const std::uint64_t count = Count(parent, key);
  if (count > kMax) {
    Fail(Join(parent.path, key), "must be at most " + std::to_string(kMax));
    return 0;
  }
  return static_cast<std::uint32_t>(count);
}

std::string JsonReader::Text(const JsonNode& parent, std::string_view key) {
  const JsonNode node = Typed(parent, key, &Json::is_string, "a string");
  return node.json == nullptr ? std::string() : node.json->get<std::string>();
}

bool JsonReader::Flag(const JsonNode& parent, std::string_view key) {
  const JsonNode node = Typed(parent, key, &Json::is_boolean, "true or false");
  return node.json != nullptr && node.json->get<bool>();
}

}  // namespace callshare
