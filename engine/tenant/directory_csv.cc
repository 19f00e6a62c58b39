// Reading and writing the five CSV files of a tenant directory.
//
// The reader checks syntax only: that every file has exactly its columns,
// every row splits into them, and every field parses (UTF-8, booleans,
// enumeration names, counts). Whether a UPN exists, a relationship is
// repeated or a limit is exceeded is Tenant::Build's business; it names the
// place of a problem from the `line` each row carries, so the reader stores
// the physical line of every row (the header is line 1).
//
// Parsing goes through fast-cpp-csv-parser, which reads ahead on a thread
// of its own and hands out fields as pointers into its buffer: a field is
// copied into a std::string once, when it becomes part of a row. The
// parser reports problems with exceptions; they are caught right here and
// turned into Diagnostics, and reading goes on so that one pass names every
// problem of every file.
//
// A row with a field that does not parse is left out of the Directory, so
// that Build checks only values that were read. A users.csv or policies.csv
// row whose key (UPN, policy name) parsed is kept aside in RejectedRows:
// other files name it, and Build must not call it unknown.
#include "callshare/tenant/directory_csv.h"

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <future>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "callshare/tenant/csv_parser.h"

namespace callshare {
namespace fs = std::filesystem;

namespace {

// The columns of each file, in the order the writer puts them. A reader
// accepts them in any order, since the parser maps columns by name.
constexpr std::array<const char*, 4> kUserColumns = {
    "upn", "teams_only", "voice_enabled", "calling_policy"};
constexpr std::array<const char*, 8> kPolicyColumns = {
    "name",
    "allow_call_groups",
    "allow_delegation",
    "allow_call_forwarding_to_user",
    "allow_call_forwarding_to_phone",
    "allow_voicemail",
    "busy_on_busy",
    "inbound_pstn_treatment"};
constexpr std::array<const char*, 12> kSettingsColumns = {
    "upn",
    "forwarding",
    "forwarding_type",
    "forwarding_target_type",
    "forwarding_target",
    "unanswered",
    "unanswered_target_type",
    "unanswered_target",
    "unanswered_delay_s",
    "call_group_order",
    "notification_override",
    "busy_on_busy_option"};
constexpr std::array<const char*, 4> kMemberColumns = {
    "owner_upn", "position", "member_upn", "notification"};
constexpr std::array<const char*, 7> kDelegateColumns = {
    "delegator_upn",    "delegate_upn",    "make_calls",
    "receive_calls",    "manage_settings", "pick_up_held_calls",
    "join_active_calls"};

// RFC 4180 quoting; spaces and tabs around a field are not part of it (a
// field that needs them is quoted by the writer).
template <std::size_t kColumns>
using CsvReader = io::CSVReader<kColumns, io::trim_chars<' ', '\t'>,
                                io::double_quote_escape<',', '"'>,
                                io::throw_on_overflow, io::no_comment>;

template <std::size_t kColumns>
using Fields = std::array<char*, kColumns>;

void Report(Diagnostics* errors, const char* file, std::uint32_t line,
            std::string field, std::string message) {
  Diagnostic diagnostic;
  diagnostic.file = file;
  diagnostic.line = line;
  diagnostic.field = std::move(field);
  diagnostic.message = std::move(message);
  errors->push_back(std::move(diagnostic));
}

// The length of the UTF-8 sequence that `lead` starts (0 when it starts
// none) and the range its second byte must fall in. The narrowed ranges
// exclude overlongs, surrogates and values beyond U+10FFFF.
struct Utf8Lead {
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
};

Utf8Lead ClassifyLead(unsigned char lead) {
  Utf8Lead sequence;
  if (lead >= 0xC2 && lead <= 0xDF) {
    sequence.length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    sequence.length = 3;
    if (lead == 0xE0) sequence.low = 0xA0;
    if (lead == 0xED) sequence.high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    sequence.length = 4;
    if (lead == 0xF0) sequence.low = 0x90;
    if (lead == 0xF4) sequence.high = 0x8F;
  }
  return sequence;
}

// Whether the multi-byte sequence at `at` is well formed.
bool ValidSequence(std::string_view text, std::size_t at) {
  const Utf8Lead lead = ClassifyLead(static_cast<unsigned char>(text[at]));
  if (lead.length == 0 || at + lead.length > text.size()) return false;
  for (std::size_t k = 1; k < lead.length; ++k) {
    const auto next = static_cast<unsigned char>(text[at + k]);
    const unsigned char min = k == 1 ? lead.low : 0x80;
    const unsigned char max = k == 1 ? lead.high : 0xBF;
    if (next < min || next > max) return false;
  }
  return true;
}

// The offset of the first byte that does not belong to a well-formed UTF-8
// sequence, or npos.
std::size_t InvalidUtf8At(std::string_view text) {
  // ASCII, nearly every byte of a directory, is skipped a word at a time.
  constexpr std::uint64_t kHighBits = 0x8080'8080'8080'8080u;
  std::size_t i = 0;
  while (i < text.size()) {
    std::uint64_t word;
    if (i + sizeof word <= text.size()) {
      std::memcpy(&word, text.data() + i, sizeof word);
      if ((word & kHighBits) == 0) {
        i += sizeof word;
        continue;
      }
    }
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      ++i;
    } else if (ValidSequence(text, i)) {
      i += ClassifyLead(byte).length;
    } else {
      return i;
    }
  }
  return std::string_view::npos;
}

// The fields of one row as text, turned into values one column at a time.
// Every field that does not parse is reported; ok() tells whether the row
// may be kept. The column order is the schema's, whatever the file's.
class RowParser {
 public:
  RowParser(const char* file, const char* const* columns, char* const* fields,
            std::uint32_t line, Diagnostics* errors)
      : file_(file),
        columns_(columns),
        fields_(fields),
        line_(line),
        errors_(errors) {}

  bool ok() const { return failed_ == 0; }
  std::uint32_t line() const { return line_; }

  // Whether the field of `column` parsed (or has not been parsed yet).
  bool parsed(std::size_t column) const {
    return (failed_ & (std::uint32_t{1} << column)) == 0;
  }

  // One bit a column in failed_.
  static constexpr std::size_t kMaxColumns = 32;

  // The field as a string; an empty one is an error unless `optional`.
  std::string Text(std::size_t column, bool optional = false) {
    const std::string_view value = Value(column);
    if (!Checked(column, value, optional)) return std::string();
    return std::string(value);
  }

  // Exactly "true" or "false".
  bool Bool(std::size_t column) {
    const std::string_view value = Value(column);
    if (value == "true") return true;
    if (value == "false") return false;
    if (Checked(column, value, /*optional=*/false)) {
      NotOneOf(column, value, "true | false");
    }
    return false;
  }

  // Exactly one of the enumeration's names; `when_empty` given makes the
  // field optional.
  template <typename Enum>
  Enum Choice(std::size_t column, std::optional<Enum> when_empty = {}) {
    const std::string_view value = Value(column);
    if (value.empty() && when_empty) return *when_empty;
    const std::optional<Enum> parsed = ParseEnum<Enum>(value);
    if (parsed) return *parsed;
    if (Checked(column, value, when_empty.has_value())) {
      NotOneOf(column, value, EnumChoices<Enum>());
    }
    return Enum{};
  }

  // A non-negative decimal integer; `when_empty` given makes the field
  // optional.
  std::uint32_t Count(std::size_t column,
                      std::optional<std::uint32_t> when_empty = {}) {
    const std::string_view value = Value(column);
    if (value.empty() && when_empty) return *when_empty;
    std::uint32_t count = 0;
    const char* end = value.data() + value.size();
    const auto [stop, error] = std::from_chars(value.data(), end, count);
    const bool digits_only =
        !value.empty() && value.front() >= '0' && value.front() <= '9';
    if (digits_only && stop == end && error == std::errc()) return count;
    if (!Checked(column, value, when_empty.has_value())) return 0;
    if (digits_only && error == std::errc::result_out_of_range) {
      Fail(column, fmt::format("'{}' is too large", value));
    } else {
      Fail(column, fmt::format("'{}' is not a non-negative integer", value));
    }
    return 0;
  }

 private:
  std::string_view Value(std::size_t column) const {
    return std::string_view(fields_[column]);
  }

  // Reports a field that is not UTF-8, or empty where a value is needed.
  // Values compared with known ASCII names need this only when they do
  // not match, before the value is quoted in a message.
  bool Checked(std::size_t column, std::string_view value, bool optional) {
    const std::size_t bad = InvalidUtf8At(value);
    if (bad != std::string_view::npos) {
      Fail(column,
           fmt::format("not valid UTF-8 (byte {} of the field)", bad + 1));
      return false;
    }
    if (value.empty() && !optional) {
      Fail(column, "empty, a value is required");
      return false;
    }
    return true;
  }

  void NotOneOf(std::size_t column, std::string_view value,
                std::string_view choices) {
    Fail(column, fmt::format("'{}' is not one of {}", value, choices));
  }

  void Fail(std::size_t column, std::string message) {
    Report(errors_, file_, line_, columns_[column], std::move(message));
    failed_ |= std::uint32_t{1} << column;
  }

  const char* file_;
  const char* const* columns_;
  char* const* fields_;
  std::uint32_t line_;
  Diagnostics* errors_;
  std::uint32_t failed_ = 0;  // a bit a column that did not parse
};

// What reading one file found: its diagnostics, and whether a row, or the
// rest of the file, was lost before its fields could be parsed.
struct FileReport {
  Diagnostics errors;
  bool rows_lost = false;
};

// Splits a header line the way the parser does: comma separated, trimmed,
// surrounding quotes removed.
std::vector<std::string> SplitHeader(std::string line) {
  if (line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::vector<std::string> names;
  std::size_t begin = 0;
  for (;;) {
    const std::size_t comma = line.find(',', begin);
    std::string name = line.substr(begin, comma - begin);
    const std::size_t first = name.find_first_not_of(" \t");
    const std::size_t last = name.find_last_not_of(" \t");
    name =
        first == std::string::npos ? "" : name.substr(first, last - first + 1);
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
    }
    names.push_back(std::move(name));
    if (comma == std::string::npos) return names;
    begin = comma + 1;
  }
}

// The parser stops at the first header problem; this reads the header again
// to name every unknown, repeated and missing column at once.
void ReportHeader(const fs::path& path, const char* file,
                  std::span<const char* const> columns, Diagnostics* errors) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> names = SplitHeader(std::move(line));

  // Unknown and repeated columns, in the order the header names them.
  std::vector<bool> seen(columns.size(), false);
  for (const std::string& name : names) {
    std::size_t i = 0;
    while (i < columns.size() && name != columns[i]) ++i;
    if (i == columns.size()) {
      Report(errors, file, 1, name, "unknown column");
    } else if (seen[i]) {
      Report(errors, file, 1, name, "column named twice");
    }
    if (i < columns.size()) seen[i] = true;
  }

  // Missing columns, in schema order.
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (!seen[i]) Report(errors, file, 1, columns[i], "missing column");
  }
}

// Reads the next row that splits into the right number of fields. Rows
// that do not are reported and skipped. Returns false at the end.
template <typename Reader, std::size_t kColumns>
bool NextRow(Reader& reader, Fields<kColumns>& fields, const char* file,
             FileReport* report) {
  Diagnostics* errors = &report->errors;
  for (;;) {
    try {
      return std::apply(
          [&reader](auto&... field) { return reader.read_row(field...); },
          fields);
    } catch (const io::error::too_few_columns& error) {
      Report(errors, file, std::uint32_t(error.file_line), "",
             fmt::format("too few columns (expected {})", kColumns));
    } catch (const io::error::too_many_columns& error) {
      Report(errors, file, std::uint32_t(error.file_line), "",
             fmt::format("too many columns (expected {})", kColumns));
    } catch (const io::error::escaped_string_not_closed& error) {
      Report(errors, file, std::uint32_t(error.file_line), "",
             "quoted field not closed before the end of the line");
    }
    // Only a row that was reported gets here.
    report->rows_lost = true;
  }
}

// Reads the header and the rows of an open file, calling
// parse_row(RowParser&) for every row that splits into its columns.
template <typename Reader, std::size_t kColumns, typename ParseRow>
void ReadRows(Reader& reader, const char* file,
              const std::array<const char*, kColumns>& columns,
              ParseRow& parse_row, FileReport* report) {
  static_assert(kColumns <= RowParser::kMaxColumns,
                "RowParser keeps one bit a column");
  std::apply(
      [&reader](auto... names) {
        reader.read_header(io::ignore_no_column, names...);
      },
      columns);
  Fields<kColumns> fields{};
  while (NextRow(reader, fields, file, report)) {
    RowParser row(file, columns.data(), fields.data(), reader.get_file_line(),
                  &report->errors);
    parse_row(row);
  }
}

// Whether the file starts with a UTF-16 byte order mark, as spreadsheet
// exports "Unicode text" do. Such a file would otherwise be reported as a
// header of unknown columns spelt with NUL bytes.
bool Utf16Bom(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char bom[2] = {};
  if (!in.read(bom, 2)) return false;
  return (bom[0] == '\xFF' && bom[1] == '\xFE') ||
         (bom[0] == '\xFE' && bom[1] == '\xFF');
}

// Reads the file at `path` to its end, turning the parser's exceptions
// into diagnostics. Returns false when a problem stopped it before the end.
template <std::size_t kColumns, typename ParseRow>
bool ReadToTheEnd(const fs::path& path, const char* file,
                  const std::array<const char*, kColumns>& columns,
                  ParseRow& parse_row, FileReport* report) {
  Diagnostics* errors = &report->errors;
  if (Utf16Bom(path)) {
    Report(errors, file, 1, "", "encoded as UTF-16; save it as UTF-8");
    return false;
  }
  try {
    CsvReader<kColumns> reader(path.string());
    ReadRows(reader, file, columns, parse_row, report);
    return true;
  } catch (const io::error::can_not_open_file& failure) {
    Report(errors, file, 0, "",
           fmt::format("cannot open: {}", std::strerror(failure.errno_value)));
  } catch (const io::error::header_missing&) {
    Report(errors, file, 1, "", "missing header (the file is empty)");
  } catch (const io::error::with_column_name&) {
    // Fields are read as text, so only the header names a column: one
    // unknown, missing or repeated.
    ReportHeader(path, file, columns, errors);
  } catch (const io::error::line_length_limit_exceeded& failure) {
    Report(errors, file, std::uint32_t(failure.file_line), "",
           "line too long; the rest of the file was not read");
  } catch (const io::error::base& failure) {
    Report(errors, file, 0, "", failure.what());
  }
  return false;
}

// Reads one file of the directory. A missing optional file has no rows.
template <std::size_t kColumns, typename ParseRow>
void ReadFile(const fs::path& folder, const char* file,
              const std::array<const char*, kColumns>& columns, bool required,
              ParseRow parse_row, FileReport* report) {
  const fs::path path = folder / file;
  std::error_code error;
  if (!required && !fs::exists(path, error)) return;
  if (!ReadToTheEnd(path, file, columns, parse_row, report)) {
    report->rows_lost = true;
  }
}

// The rows of each file. Each keeps its row only when every field parsed;
// users and policies keep aside a rejected row whose key parsed.
void ParseUser(RowParser& row, Directory* directory, RejectedRows* rejected) {
  enum { kUpn, kTeamsOnly, kVoiceEnabled, kCallingPolicy };
  UserRow user;
  user.upn = row.Text(kUpn);
  user.teams_only = row.Bool(kTeamsOnly);
  user.voice_enabled = row.Bool(kVoiceEnabled);
  user.calling_policy = row.Text(kCallingPolicy);
  user.line = row.line();
  if (row.ok()) {
    directory->users.push_back(std::move(user));
  } else if (row.parsed(kUpn)) {
    rejected->users.push_back(std::move(user));
  }
}

void ParsePolicy(RowParser& row, Directory* directory, RejectedRows* rejected) {
  enum {
    kName,
    kGroups,
    kDelegation,
    kToUser,
    kToPhone,
    kVoicemail,
    kBusy,
    kPstn
  };
  PolicyRow policy;
  policy.name = row.Text(kName);
  policy.allow_call_groups = row.Bool(kGroups);
  policy.allow_delegation = row.Bool(kDelegation);
  policy.allow_call_forwarding_to_user = row.Bool(kToUser);
  policy.allow_call_forwarding_to_phone = row.Bool(kToPhone);
  policy.allow_voicemail = row.Choice<VoicemailPolicy>(kVoicemail);
  policy.busy_on_busy = row.Choice<BusyOnBusyPolicy>(kBusy);
  policy.inbound_pstn_treatment = row.Choice<PstnTreatment>(kPstn);
  policy.line = row.line();
  if (row.ok()) {
    directory->policies.push_back(std::move(policy));
  } else if (row.parsed(kName)) {
    rejected->policies.push_back(std::move(policy));
  }
}

// Every settings field but the UPN and the two switches may be left empty
// and then takes the default of a user without a row; an empty target type
// means none.
void ParseSettings(RowParser& row, Directory* directory) {
  enum {
    kUpn,
    kForwarding,
    kForwardingType,
    kForwardingTargetType,
    kForwardingTarget,
    kUnanswered,
    kUnansweredTargetType,
    kUnansweredTarget,
    kDelay,
    kOrder,
    kOverride,
    kBusyOption
  };
  const SettingsRow defaults;
  SettingsRow settings;
  settings.upn = row.Text(kUpn);
  settings.forwarding = row.Bool(kForwarding);
  settings.forwarding_type =
      row.Choice(kForwardingType, std::optional(defaults.forwarding_type));
  settings.forwarding_target_type =
      row.Choice<TargetType>(kForwardingTargetType, TargetType::kNone);
  settings.forwarding_target = row.Text(kForwardingTarget, true);
  settings.unanswered = row.Bool(kUnanswered);
  settings.unanswered_target_type =
      row.Choice<TargetType>(kUnansweredTargetType, TargetType::kNone);
  settings.unanswered_target = row.Text(kUnansweredTarget, true);
  settings.unanswered_delay_s = row.Count(kDelay, defaults.unanswered_delay_s);
  settings.call_group_order =
      row.Choice(kOrder, std::optional(defaults.call_group_order));
  settings.notification_override =
      row.Choice(kOverride, std::optional(defaults.notification_override));
  settings.busy_on_busy_option =
      row.Choice(kBusyOption, std::optional(defaults.busy_on_busy_option));
  settings.line = row.line();
  if (row.ok()) directory->settings.push_back(std::move(settings));
}

void ParseMember(RowParser& row, Directory* directory) {
  enum { kOwner, kPosition, kMember, kNotification };
  MemberRow member;
  member.owner_upn = row.Text(kOwner);
  member.position = row.Count(kPosition);
  member.member_upn = row.Text(kMember);
  member.notification = row.Choice<Notification>(kNotification);
  member.line = row.line();
  if (row.ok()) directory->members.push_back(std::move(member));
}

void ParseDelegate(RowParser& row, Directory* directory) {
  enum { kDelegator, kDelegate, kMake, kReceive, kManage, kPickUp, kJoin };
  constexpr std::array<std::pair<int, Permission>, 5> kBits = {{
      {kMake, kMakeCalls},
      {kReceive, kReceiveCalls},
      {kManage, kManageSettings},
      {kPickUp, kPickUpHeldCalls},
      {kJoin, kJoinActiveCalls},
  }};
  DelegateRow delegate;
  delegate.delegator_upn = row.Text(kDelegator);
  delegate.delegate_upn = row.Text(kDelegate);
  for (const auto& [column, bit] : kBits) {
    if (row.Bool(std::size_t(column))) delegate.permissions |= bit;
  }
  delegate.line = row.line();
  if (row.ok()) directory->delegates.push_back(std::move(delegate));
}

// Accumulates one CSV file and writes it to `out` in large blocks.
class CsvWriter {
 public:
  explicit CsvWriter(std::FILE* out) : out_(out) { buffer_.reserve(kBlock); }

  // Appends a field, quoted when a reader would otherwise split or trim
  // it.
  void Field(std::string_view text) {
    Separate();
    if (!NeedsQuotes(text)) {
      buffer_.append(text);
      return;
    }
    buffer_.push_back('"');
    for (const char c : text) {
      if (c == '"') buffer_.push_back('"');
      buffer_.push_back(c);
    }
    buffer_.push_back('"');
  }

  void Field(bool value) { Field(std::string_view(value ? "true" : "false")); }

  void Field(std::uint32_t value) {
    char digits[16];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    Field(std::string_view(digits, std::size_t(result.ptr - digits)));
  }

  template <typename Enum>
  requires std::is_enum_v<Enum>
  void Field(Enum value) { Field(Name(value)); }

  // Ends the row; writes the buffer out once it holds a block.
  void EndRow() {
    buffer_.push_back('\n');
    first_ = true;
    if (buffer_.size() >= kBlock) Flush();
  }

  // Writes what is buffered. Returns false when any write failed.
  bool Flush() {
    if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(),
                                        out_) != buffer_.size()) {
      failed_ = true;
    }
    buffer_.clear();
    return !failed_;
  }

  template <std::size_t kColumns>
  void Header(const std::array<const char*, kColumns>& columns) {
    for (const char* column : columns) Field(std::string_view(column));
    EndRow();
  }

 private:
  // One megabyte: large enough that writes cost nothing per row, small
  // enough that a million-user file is never held whole.
  static constexpr std::size_t kBlock = std::size_t{1} << 20;

  // One pass over the bytes: find_first_of would search the set of four
  // characters once per byte.
  static bool NeedsQuotes(std::string_view text) {
    for (const char c : text) {
      if (c == ',' || c == '"' || c == '\r' || c == '\n') return true;
    }
    const auto trimmed = [](char c) { return c == ' ' || c == '\t'; };
    return !text.empty() && (trimmed(text.front()) || trimmed(text.back()));
  }

  void Separate() {
    if (!first_) buffer_.push_back(',');
    first_ = false;
  }

  std::FILE* out_;
  std::string buffer_;
  bool first_ = true;
  bool failed_ = false;
};

void WriteRow(CsvWriter& out, const UserRow& user) {
  out.Field(std::string_view(user.upn));
  out.Field(user.teams_only);
  out.Field(user.voice_enabled);
  out.Field(std::string_view(user.calling_policy));
}

void WriteRow(CsvWriter& out, const PolicyRow& policy) {
  out.Field(std::string_view(policy.name));
  out.Field(policy.allow_call_groups);
  out.Field(policy.allow_delegation);
  out.Field(policy.allow_call_forwarding_to_user);
  out.Field(policy.allow_call_forwarding_to_phone);
  out.Field(policy.allow_voicemail);
  out.Field(policy.busy_on_busy);
  out.Field(policy.inbound_pstn_treatment);
}

void WriteRow(CsvWriter& out, const SettingsRow& settings) {
  out.Field(std::string_view(settings.upn));
  out.Field(settings.forwarding);
  out.Field(settings.forwarding_type);
  out.Field(settings.forwarding_target_type);
  out.Field(std::string_view(settings.forwarding_target));
  out.Field(settings.unanswered);
  out.Field(settings.unanswered_target_type);
  out.Field(std::string_view(settings.unanswered_target));
  out.Field(settings.unanswered_delay_s);
  out.Field(settings.call_group_order);
  out.Field(settings.notification_override);
  out.Field(settings.busy_on_busy_option);
}

void WriteRow(CsvWriter& out, const MemberRow& member) {
  out.Field(std::string_view(member.owner_upn));
  out.Field(member.position);
  out.Field(std::string_view(member.member_upn));
  out.Field(member.notification);
}

void WriteRow(CsvWriter& out, const DelegateRow& delegate) {
  out.Field(std::string_view(delegate.delegator_upn));
  out.Field(std::string_view(delegate.delegate_upn));
  for (const Permission bit : {kMakeCalls, kReceiveCalls, kManageSettings,
                               kPickUpHeldCalls, kJoinActiveCalls}) {
    out.Field((delegate.permissions & bit) != 0);
  }
}

// Where a file is written before it is renamed into place.
fs::path PartialPath(const fs::path& folder, const char* file) {
  return folder / (std::string(".") + file + ".partial");
}

// Writes the header and rows of one file to its partial path.
template <std::size_t kColumns, typename Row>
bool WriteFile(const fs::path& folder, const char* file,
               const std::array<const char*, kColumns>& columns,
               const std::vector<Row>& rows, Diagnostics* errors) {
  std::FILE* out = std::fopen(PartialPath(folder, file).c_str(), "wb");
  if (out == nullptr) {
    Report(errors, file, 0, "",
           fmt::format("cannot write: {}", std::strerror(errno)));
    return false;
  }
  CsvWriter writer(out);
  writer.Header(columns);
  for (const Row& row : rows) {
    WriteRow(writer, row);
    writer.EndRow();
  }
  const bool written = writer.Flush();
  const bool closed = std::fclose(out) == 0;
  if (!written || !closed) {
    Report(errors, file, 0, "",
           fmt::format("cannot write: {}", std::strerror(errno)));
  }
  return written && closed;
}

constexpr std::array<const char*, 5> kFiles = {
    kUsersFile, kPoliciesFile, kSettingsFile, kMembersFile, kDelegatesFile};

// Writes every file of the directory under its partial name; stops at the
// first that fails.
bool WritePartialFiles(const Directory& directory, const fs::path& folder,
                       Diagnostics* errors) {
  return WriteFile(folder, kUsersFile, kUserColumns, directory.users, errors) &&
         WriteFile(folder, kPoliciesFile, kPolicyColumns, directory.policies,
                   errors) &&
         WriteFile(folder, kSettingsFile, kSettingsColumns, directory.settings,
                   errors) &&
         WriteFile(folder, kMembersFile, kMemberColumns, directory.members,
                   errors) &&
         WriteFile(folder, kDelegatesFile, kDelegateColumns,
                   directory.delegates, errors);
}

// Renames the partial files into place when all were written, and removes
// them otherwise. Returns whether the directory is now in place.
bool MovePartialFiles(const fs::path& folder, bool written,
                      Diagnostics* errors) {
  std::error_code error;
  for (const char* file : kFiles) {
    const fs::path partial = PartialPath(folder, file);
    if (!written) {
      fs::remove(partial, error);
      continue;
    }
    fs::rename(partial, folder / file, error);
    if (error) {
      Report(errors, file, 0, "",
             fmt::format("cannot rename into place: {}", error.message()));
      written = false;
    }
  }
  return written;
}

}  // namespace

// The two large files, users.csv and call_group_members.csv, are read on
// two threads, each with the smaller files that balance the work. Each
// file collects its own diagnostics, joined afterwards in file order.
// `rejected` is written by this thread only: the other reads members and
// delegates, which keep nothing aside.
Directory ReadParsedRows(const fs::path& folder, RejectedRows* rejected,
                         Diagnostics* errors) {
  *rejected = RejectedRows();
  Directory directory;
  Directory* rows = &directory;
  std::array<FileReport, kFiles.size()> reports;
  std::future<void> groups = std::async(std::launch::async, [&] {
    ReadFile(
        folder, kMembersFile, kMemberColumns, false,
        [rows](RowParser& row) { ParseMember(row, rows); }, &reports[3]);
    ReadFile(
        folder, kDelegatesFile, kDelegateColumns, false,
        [rows](RowParser& row) { ParseDelegate(row, rows); }, &reports[4]);
  });
  ReadFile(
      folder, kUsersFile, kUserColumns, true,
      [rows, rejected](RowParser& row) { ParseUser(row, rows, rejected); },
      &reports[0]);
  ReadFile(
      folder, kPoliciesFile, kPolicyColumns, false,
      [rows, rejected](RowParser& row) { ParsePolicy(row, rows, rejected); },
      &reports[1]);
  ReadFile(
      folder, kSettingsFile, kSettingsColumns, false,
      [rows](RowParser& row) { ParseSettings(row, rows); }, &reports[2]);
  groups.get();

  for (const FileReport& report : reports) {
    errors->insert(errors->end(), report.errors.begin(), report.errors.end());
    rejected->any = rejected->any || !report.errors.empty();
  }
  rejected->users_lost = reports[0].rows_lost;
  rejected->policies_lost = reports[1].rows_lost;
  return directory;
}

std::optional<Directory> ReadDirectory(const fs::path& folder,
                                       Diagnostics* errors) {
  RejectedRows rejected;
  Directory directory = ReadParsedRows(folder, &rejected, errors);
  if (rejected.any) return std::nullopt;
  return directory;
}

// Build sees what reading left out, so that both passes report in one run
// and Build refuses the tables whenever reading found anything.
std::optional<Tenant> LoadTenant(const fs::path& folder,
                                 const LimitProfile& limits,
                                 Diagnostics* errors) {
  RejectedRows rejected;
  const Directory directory = ReadParsedRows(folder, &rejected, errors);
  return Tenant::Build(directory, limits, errors, rejected);
}

// All five files are written under partial names first and renamed only
// once every one of them is complete, so a failed write leaves the folder
// as it was and a reader never sees a half-written file.
bool WriteDirectory(const Directory& directory, const fs::path& folder,
                    Diagnostics* errors) {
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) {
    Report(
        errors, "", 0, "",
        fmt::format("cannot create {}: {}", folder.string(), error.message()));
    return false;
  }
  const bool written = WritePartialFiles(directory, folder, errors);
  return MovePartialFiles(folder, written, errors);
}

}  // namespace callshare
