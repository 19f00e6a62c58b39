// Reading a call log for replay. The rows go through fast-cpp-csv-parser
// (as the tenant directory does); every problem of every row is collected
// before the reader decides, so that a log is applied whole or not at all.
#include "callshare/sim/replay.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "callshare/tenant/csv_parser.h"

namespace callshare {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kColumns = 5;
enum Column { kTimestamp, kCallee, kCaller, kPstn, kDuration };

using LogReader = io::CSVReader<kColumns, io::trim_chars<' ', '\t'>,
                                io::double_quote_escape<',', '"'>,
                                io::throw_on_overflow, io::no_comment>;

// How a file writes its times; the first row decides.
enum class TimeForm { kUnknown, kSeconds, kIso };

// What one pass over the rows builds, and where it reports.
struct LogBuilder {
  std::string file;  // the name diagnostics carry
  std::array<std::string, kColumns> names;
  const Tenant* tenant = nullptr;
  Diagnostics* errors = nullptr;
  TimeForm form = TimeForm::kUnknown;
  bool failed = false;
  CallLog log;

  void Fail(std::uint32_t line, std::string_view field, std::string message) {
    Diagnostic diagnostic;
    diagnostic.file = file;
    diagnostic.line = line;
    diagnostic.field = std::string(field);
    diagnostic.message = std::move(message);
    errors->push_back(std::move(diagnostic));
    failed = true;
  }
};

// A finite decimal number, or nullopt.
std::optional<double> ParseNumber(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || stop != end || error != std::errc() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// Digits at text[at, at + count) as a number, or -1.
int Digits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// Whether the text looks like the date part of an ISO 8601 time.
bool LooksIso(std::string_view text) {
  return text.size() >= 10 && text[4] == '-' && text[7] == '-';
}

// YYYY-MM-DDTHH:MM:SS[.fff][Z] (a space may stand for the T) as seconds
// since 1970 in UTC, or nullopt.
std::optional<double> ParseIso(std::string_view text) {
  if (!text.empty() && text.back() == 'Z') text.remove_suffix(1);
  if (text.size() < 19 || (text[10] != 'T' && text[10] != ' ') ||
      text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  const int year = Digits(text, 0, 4), month = Digits(text, 5, 2),
            day = Digits(text, 8, 2), hour = Digits(text, 11, 2),
            minute = Digits(text, 14, 2), second = Digits(text, 17, 2);
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(unsigned(month)),
                                         std::chrono::day(unsigned(day))};
  if (year < 0 || !date.ok() || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 60) {
    return std::nullopt;
  }
  double fraction = 0;
  if (text.size() > 19) {
    const std::optional<double> parsed =
        text[19] == '.'
            ? ParseNumber(std::string("0") + std::string(text.substr(19)))
            : std::nullopt;
    if (!parsed) return std::nullopt;
    fraction = *parsed;
  }
  const auto days = std::chrono::sys_days(date).time_since_epoch().count();
  return double(days) * 86'400.0 + hour * 3'600.0 + minute * 60.0 + second +
         fraction;
}

// The row's time in the file's form; the first row fixes the form.
std::optional<double> ParseTime(LogBuilder* builder, std::string_view text,
                                std::uint32_t line) {
  const TimeForm form = LooksIso(text) ? TimeForm::kIso : TimeForm::kSeconds;
  if (builder->form == TimeForm::kUnknown) builder->form = form;
  const std::string_view field = builder->names[kTimestamp];
  if (form != builder->form) {
    builder->Fail(line, field,
                  fmt::format("'{}' mixes ISO 8601 times and seconds", text));
    return std::nullopt;
  }
  const std::optional<double> time =
      form == TimeForm::kIso ? ParseIso(text) : ParseNumber(text);
  if (!time) {
    builder->Fail(line, field,
                  fmt::format("'{}' is neither seconds nor an ISO 8601 "
                              "date-time",
                              text));
  } else if (form == TimeForm::kSeconds && *time < 0) {
    builder->Fail(line, field, fmt::format("'{}' is negative", text));
    return std::nullopt;
  }
  return time;
}

// A UPN of the tenant; empty is an outside caller when `optional`.
UserId ParseUser(LogBuilder* builder, Column column, std::string_view text,
                 std::uint32_t line, bool optional) {
  if (text.empty()) {
    if (!optional) builder->Fail(line, builder->names[column], "empty");
    return kNoUser;
  }
  const std::optional<UserId> user = builder->tenant->FindUser(text);
  if (!user) {
    builder->Fail(line, builder->names[column],
                  fmt::format("unknown UPN '{}'", text));
    return kNoUser;
  }
  return *user;
}

bool ParsePstn(LogBuilder* builder, std::string_view text, std::uint32_t line) {
  if (text == "true") return true;
  if (text != "false") {
    builder->Fail(line, builder->names[kPstn],
                  fmt::format("'{}' is not one of true | false", text));
  }
  return false;
}

double ParseDuration(LogBuilder* builder, std::string_view text,
                     std::uint32_t line) {
  const std::optional<double> duration = ParseNumber(text);
  const std::string_view field = builder->names[kDuration];
  if (!duration) {
    builder->Fail(line, field, fmt::format("'{}' is not a number", text));
  } else if (*duration < 0) {
    builder->Fail(
        line, field,
        fmt::format("'{}' is negative; a duration is seconds >= 0", text));
  }
  return duration.value_or(0.0);
}

void AddRow(LogBuilder* builder, const std::array<char*, kColumns>& fields,
            std::uint32_t line) {
  ReplayedCall call;
  call.line = line;
  const std::optional<double> time =
      ParseTime(builder, fields[kTimestamp], line);
  call.at_s = time.value_or(0.0);
  call.callee = ParseUser(builder, kCallee, fields[kCallee], line, false);
  call.caller = ParseUser(builder, kCaller, fields[kCaller], line, true);
  call.pstn = ParsePstn(builder, fields[kPstn], line);
  call.duration_s = ParseDuration(builder, fields[kDuration], line);
  if (call.pstn && call.caller != kNoUser) {
    builder->Fail(line, builder->names[kCaller],
                  "a PSTN call has no caller UPN; leave it empty");
  }
  builder->log.calls.push_back(call);
}

// The header's names, split as the parser splits them.
std::vector<std::string> HeaderNames(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  std::getline(in, line);
  if (line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::vector<std::string> names;
  std::size_t begin = 0;
  for (;;) {
    const std::size_t comma = line.find(',', begin);
    std::string name = line.substr(begin, comma - begin);
    std::erase_if(name, [](char c) { return c == ' ' || c == '\t'; });
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
    }
    names.push_back(std::move(name));
    if (comma == std::string::npos) return names;
    begin = comma + 1;
  }
}

// Names every configured column the header lacks; the parser itself stops
// at the first.
bool CheckHeader(LogBuilder* builder, const fs::path& path) {
  const std::vector<std::string> header = HeaderNames(path);
  if (header.size() == 1 && header[0].empty()) {
    builder->Fail(1, "", "empty file; a header row and calls are needed");
    return false;
  }
  for (const std::string& name : builder->names) {
    if (std::find(header.begin(), header.end(), name) == header.end()) {
      builder->Fail(1, name,
                    "missing column (traffic.replay_columns names it)");
    }
  }
  return !builder->failed;
}

// Reads every row, turning the parser's exceptions into findings.
void ReadRows(LogBuilder* builder, const fs::path& path) {
  try {
    LogReader reader(path.string());
    const auto& n = builder->names;
    reader.read_header(io::ignore_extra_column, n[0].c_str(), n[1].c_str(),
                       n[2].c_str(), n[3].c_str(), n[4].c_str());
    std::array<char*, kColumns> fields{};
    for (;;) {
      try {
        if (!reader.read_row(fields[0], fields[1], fields[2], fields[3],
                             fields[4])) {
          break;
        }
        AddRow(builder, fields, std::uint32_t(reader.get_file_line()));
      } catch (const io::error::with_file_line& error) {
        builder->Fail(std::uint32_t(error.file_line), "",
                      "row does not split into the header's columns");
      }
    }
  } catch (const io::error::base& failure) {
    builder->Fail(0, "", failure.what());
  }
}

// Puts the rows in time order, saying so when they were not, and makes
// ISO times relative to the earliest.
void Normalize(LogBuilder* builder) {
  std::vector<ReplayedCall>& calls = builder->log.calls;
  if (calls.empty()) {
    builder->Fail(0, "", "no calls: the file has a header only");
    return;
  }
  if (!std::is_sorted(calls.begin(), calls.end(),
                      [](auto& a, auto& b) { return a.at_s < b.at_s; })) {
    std::stable_sort(calls.begin(), calls.end(),
                     [](auto& a, auto& b) { return a.at_s < b.at_s; });
    Diagnostic warning;
    warning.severity = Diagnostic::Severity::kWarning;
    warning.file = builder->file;
    warning.field = builder->names[kTimestamp];
    warning.message = "rows are not in time order; replayed sorted by time";
    builder->errors->push_back(std::move(warning));
  }
  if (builder->form == TimeForm::kIso) {
    const double start = calls.front().at_s;
    for (ReplayedCall& call : calls) call.at_s -= start;
  }
}

}  // namespace

std::optional<CallLog> ReadCallLog(const fs::path& path,
                                   const ReplayColumns& columns,
                                   const Tenant& tenant, Diagnostics* errors) {
  LogBuilder builder;
  builder.file = path.filename().string();
  builder.names = {columns.timestamp, columns.callee, columns.caller,
                   columns.pstn, columns.duration};
  builder.tenant = &tenant;
  builder.errors = errors;
  std::error_code error;
  if (!fs::is_regular_file(path, error)) {
    builder.Fail(0, "", fmt::format("cannot open {}", path.string()));
    return std::nullopt;
  }
  if (!CheckHeader(&builder, path)) return std::nullopt;
  ReadRows(&builder, path);
  if (!builder.failed) Normalize(&builder);
  if (builder.failed) return std::nullopt;
  return std::move(builder.log);
}

}  // namespace callshare
