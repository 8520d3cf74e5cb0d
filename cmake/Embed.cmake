# Embed.cmake - turn every file of the templates folder into a C array so the
# binary carries its own HTML/CSS/JS and needs no install tree.  A file
# templates/report.html becomes `jtl_tpl_report_html[]` plus
# `jtl_tpl_report_html_len`, and a table `jtl_tplfiles[]` lists them by name.
# VERBATIM matters: the file list is a ;-list that must reach the script as
# one argument, not be split by the shell.  Files after DIR (a library
# from a Debian package) are embedded too, by their file name.
function(jtl_embed_templates out_var dir)
  file(GLOB _files CONFIGURE_DEPENDS "${dir}/*")
  list(FILTER _files EXCLUDE REGEX "(README\\.md|~)$")
  list(APPEND _files ${ARGN})
  list(SORT _files)
  set(_out "${CMAKE_CURRENT_BINARY_DIR}/jtl_templates.c")
  set(_script "${CMAKE_CURRENT_BINARY_DIR}/jtl_embed_run.cmake")
  file(WRITE "${_script}" "
set(_c \"/* generated from templates/ by cmake/Embed.cmake; do not edit */\\n#include <stddef.h>\\n#include \\\"jtl/report/tplfiles.h\\\"\\n\")
set(_tab \"\")
foreach(_f \${FILES})
  get_filename_component(_n \"\${_f}\" NAME)
  string(MAKE_C_IDENTIFIER \"\${_n}\" _id)
  file(READ \"\${_f}\" _hex HEX)
  string(LENGTH \"\${_hex}\" _hl)
  math(EXPR _len \"\${_hl} / 2\")
  string(REGEX REPLACE \"([0-9a-f][0-9a-f])\" \"0x\\\\1,\" _arr \"\${_hex}\")
  string(APPEND _c \"static const unsigned char jtl_tpl_\${_id}[] = {\${_arr}0x00};\\n\")
  string(APPEND _tab \"    {\\\"\${_n}\\\", jtl_tpl_\${_id}, \${_len}},\\n\")
endforeach()
string(APPEND _c \"const struct jtl_tplfile jtl_tplfiles[] = {\\n\${_tab}    {NULL, NULL, 0}\\n};\\n\")
file(WRITE \"\${OUT}.tmp\" \"\${_c}\")
execute_process(COMMAND \${CMAKE_COMMAND} -E copy_if_different \"\${OUT}.tmp\" \"\${OUT}\")
")
  add_custom_command(OUTPUT "${_out}"
    COMMAND ${CMAKE_COMMAND} "-DFILES=${_files}" "-DOUT=${_out}" -P "${_script}"
    DEPENDS ${_files} "${_script}"
    COMMENT "Embedding templates"
    VERBATIM)
  set(${out_var} "${_out}" PARENT_SCOPE)
endfunction()
