# Finds the fast-cpp-csv-parser header (Debian package libfccp-dev), which
# ships no CMake or pkg-config file of its own. Defines Fccp::Fccp.
find_path(Fccp_INCLUDE_DIR NAMES csv.h PATH_SUFFIXES libfccp)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Fccp REQUIRED_VARS Fccp_INCLUDE_DIR)

if(Fccp_FOUND AND NOT TARGET Fccp::Fccp)
  add_library(Fccp::Fccp INTERFACE IMPORTED)
  set_target_properties(Fccp::Fccp PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${Fccp_INCLUDE_DIR}")
  # The parser reads ahead on a thread of its own.
  target_link_libraries(Fccp::Fccp INTERFACE Threads::Threads)
endif()
mark_as_advanced(Fccp_INCLUDE_DIR)
