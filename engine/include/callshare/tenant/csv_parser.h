// The fast-cpp-csv-parser header, included with the one warning g++
// raises inside it silenced, for every reader of CSV files in the engine.
#ifndef CALLSHARE_TENANT_CSV_PARSER_H_
#define CALLSHARE_TENANT_CSV_PARSER_H_

// At -O3 g++ inlines the parser's bounded copy of the file name and warns
// that it may truncate, which is the copy's very purpose. clang has no
// such warning and would reject the pragma under -Werror.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-truncation"
#endif
#include <csv.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif  // CALLSHARE_TENANT_CSV_PARSER_H_
