# FindLibCSV - locate libcsv (Debian's libcsv-dev ships neither pkg-config
# nor CMake files).  Defines LibCSV_FOUND, LIBCSV_VERSION and the imported
# target LibCSV::LibCSV.
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(PC_LIBCSV QUIET libcsv)
endif()
find_path(LIBCSV_INCLUDE_DIR csv.h HINTS ${PC_LIBCSV_INCLUDE_DIRS})
find_library(LIBCSV_LIBRARY NAMES csv HINTS ${PC_LIBCSV_LIBRARY_DIRS})
if(LIBCSV_INCLUDE_DIR AND EXISTS "${LIBCSV_INCLUDE_DIR}/csv.h")
  file(STRINGS "${LIBCSV_INCLUDE_DIR}/csv.h" _csv_ver
       REGEX "^#define CSV_(MAJOR|MINOR|RELEASE) +[0-9]+")
  foreach(_part MAJOR MINOR RELEASE)
    string(REGEX REPLACE ".*#define CSV_${_part} +([0-9]+).*" "\\1"
           _csv_${_part} "${_csv_ver}")
  endforeach()
  set(LIBCSV_VERSION "${_csv_MAJOR}.${_csv_MINOR}.${_csv_RELEASE}")
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LibCSV
  REQUIRED_VARS LIBCSV_LIBRARY LIBCSV_INCLUDE_DIR
  VERSION_VAR LIBCSV_VERSION)
if(LibCSV_FOUND AND NOT TARGET LibCSV::LibCSV)
  add_library(LibCSV::LibCSV UNKNOWN IMPORTED)
  set_target_properties(LibCSV::LibCSV PROPERTIES
    IMPORTED_LOCATION "${LIBCSV_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${LIBCSV_INCLUDE_DIR}")
endif()
mark_as_advanced(LIBCSV_INCLUDE_DIR LIBCSV_LIBRARY)
