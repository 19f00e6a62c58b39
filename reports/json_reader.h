// Walks a parsed JSON document and reports every field that is missing or
// of the wrong type by its dotted path ("shares.voicemail.mean"), so that a
// bad summary.json says exactly what is wrong. Private to the reports room.
#ifndef CALLSHARE_REPORTS_JSON_READER_H_
#define CALLSHARE_REPORTS_JSON_READER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "callshare/tenant/diagnostic.h"

namespace callshare {

using Json = nlohmann::ordered_json;

// A place in the document: the value (null when it could not be reached)
// and its path for messages.
struct JsonNode {
  const Json* json = nullptr;
  std::string path;
};

// Reads fields under JsonNodes, appending one Diagnostic per problem to
// the caller's list. A node that could not be reached yields defaults
// without further messages, so one missing object is reported once.
class JsonReader {
 public:
  JsonReader(std::string file, Diagnostics* errors)
      : file_(std::move(file)), errors_(errors) {}

  // The member `key` of an object node; reported when absent.
  JsonNode Member(const JsonNode& parent, std::string_view key);
  // Member() that must be an object, or an array.
  JsonNode Object(const JsonNode& parent, std::string_view key);
  JsonNode Array(const JsonNode& parent, std::string_view key);
  // The element `index` of an array node.
  JsonNode Element(const JsonNode& parent, std::size_t index);

  double Number(const JsonNode& parent, std::string_view key);
  std::optional<double> NumberOrNull(const JsonNode& parent,
                                     std::string_view key);
  std::uint64_t Count(const JsonNode& parent, std::string_view key);
  // Count() that must fit 32 bits, the width the summary keeps.
  std::uint32_t Count32(const JsonNode& parent, std::string_view key);
  std::string Text(const JsonNode& parent, std::string_view key);
  bool Flag(const JsonNode& parent, std::string_view key);

  // Reports a problem at `path`.
  void Fail(const std::string& path, std::string message);

  bool ok() const { return ok_; }

 private:
  JsonNode Typed(const JsonNode& parent, std::string_view key,
                 bool (Json::*check)() const noexcept, const char* expected);

  std::string file_;
  Diagnostics* errors_;
  bool ok_ = true;
};

}  // namespace callshare

#endif  // CALLSHARE_REPORTS_JSON_READER_H_
