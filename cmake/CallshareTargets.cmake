# One helper per kind of target, so that every library, test and benchmark
# gets the same warnings and include paths.

set(CALLSHARE_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wconversion
  -Wno-sign-conversion -Werror)

# With sanitizer instrumentation g++ 12 reports maybe-uninitialized inside
# Boost.Histogram's index arithmetic, a false positive of the middle end;
# the release build keeps the warning.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_FLAGS MATCHES
    "-fsanitize")
  list(APPEND CALLSHARE_WARNINGS -Wno-maybe-uninitialized)
endif()

# callshare_library(NAME SOURCES ... DEPENDS ...)
function(callshare_library name)
  cmake_parse_arguments(arg "" "" "SOURCES;DEPENDS" ${ARGN})
  add_library(${name} STATIC ${arg_SOURCES})
  target_include_directories(${name} PUBLIC
    "${PROJECT_SOURCE_DIR}/engine/include")
  target_compile_options(${name} PRIVATE ${CALLSHARE_WARNINGS})
  target_link_libraries(${name} PUBLIC ${arg_DEPENDS})
endfunction()

# callshare_test(NAME SOURCES ... DEPENDS ... LABELS ... [THREADED regex...]):
# a GoogleTest binary whose tests ctest discovers one by one. Tests run
# from the source tree's tests/ folder so that data paths read the same
# everywhere. Tests whose full name matches a THREADED regex start threads
# and carry the label `threads` as well, so that `ctest -L threads` runs
# just them under ThreadSanitizer.
function(callshare_test name)
  cmake_parse_arguments(arg "" "" "SOURCES;DEPENDS;LABELS;THREADED" ${ARGN})
  add_executable(${name} ${arg_SOURCES})
  target_compile_options(${name} PRIVATE ${CALLSHARE_WARNINGS})
  target_compile_definitions(${name} PRIVATE
    CALLSHARE_TEST_DATA="${PROJECT_SOURCE_DIR}/tests/data"
    CALLSHARE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_link_libraries(${name} PRIVATE ${arg_DEPENDS} GTest::gtest
    GTest::gtest_main)
  # TIMEOUT: ctest's default is 1500 s a test, so one hang would cost CI
  # 25 minutes; 300 s is far above what any test here takes, so it stops
  # only a hang.
  gtest_discover_tests(${name}
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}/tests"
    PROPERTIES LABELS "${arg_LABELS}" TIMEOUT 300
    DISCOVERY_TIMEOUT 60)
  if(arg_THREADED)
    list(JOIN arg_THREADED "|" regex)
    callshare_label_threaded_tests(${name} "${regex}" "${arg_LABELS}")
  endif()
endfunction()

# Adds the label `threads` to the discovered tests of `name` that match
# `regex`. The discovered names exist only when ctest reads the test
# files, so the labelling is a script ctest includes after them; a
# multi-valued LABELS cannot go through gtest_discover_tests' PROPERTIES,
# which flattens lists.
function(callshare_label_threaded_tests name regex labels)
  list(APPEND labels threads)
  set(script "${CMAKE_CURRENT_BINARY_DIR}/${name}_threads.cmake")
  file(WRITE "${script}"
    "foreach(test IN LISTS ${name}_TESTS)\n"
    "  if(test MATCHES [==[${regex}]==])\n"
    "    set_tests_properties(\"\${test}\" PROPERTIES LABELS \"${labels}\")\n"
    "  endif()\n"
    "endforeach()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${script}")
endfunction()

# callshare_benchmark(NAME SOURCES ... DEPENDS ...)
function(callshare_benchmark name)
  cmake_parse_arguments(arg "" "" "SOURCES;DEPENDS" ${ARGN})
  add_executable(${name} ${arg_SOURCES})
  target_compile_options(${name} PRIVATE ${CALLSHARE_WARNINGS})
  target_link_libraries(${name} PRIVATE ${arg_DEPENDS} benchmark::benchmark)
endfunction()

include(GoogleTest)
