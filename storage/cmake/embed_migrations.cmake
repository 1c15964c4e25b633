# Turns storage/migrations/NNNN_name.sql into a C++ source holding each file as a raw string,
# so the schema travels inside the binary. Run by a custom command with -DINPUT_DIR= -DOUTPUT=.
file(GLOB files RELATIVE ${INPUT_DIR} ${INPUT_DIR}/*.sql)
list(SORT files)
set(body "")
set(expected 1)
foreach(file ${files})
  if(NOT file MATCHES "^([0-9][0-9][0-9][0-9])_([a-z0-9_]+)\\.sql$")
    message(FATAL_ERROR "migration ${file}: name it NNNN_lowercase_words.sql")
  endif()
  math(EXPR version "${CMAKE_MATCH_1}")
  if(NOT version EQUAL expected)
    message(FATAL_ERROR "migration ${file}: expected number ${expected} (no gaps, no repeats)")
  endif()
  math(EXPR expected "${expected} + 1")
  file(READ ${INPUT_DIR}/${file} sql)
  if(sql MATCHES "\\)rdpwsql\"")
    message(FATAL_ERROR "migration ${file} contains the raw-string delimiter")
  endif()
  string(REGEX REPLACE "\\.sql$" "" name ${file})
  string(APPEND body "    {${version}, \"${name}\", R\"rdpwsql(${sql})rdpwsql\"},\n")
endforeach()
file(WRITE ${OUTPUT}.tmp
"// Generated from storage/migrations/*.sql by storage/cmake/embed_migrations.cmake. Do not edit.
#include \"migration_data.hpp\"

namespace rdpwarden::storage {

std::span<const EmbeddedMigration> embedded_migrations() {
  static const EmbeddedMigration migrations[] = {
${body}  };
  return migrations;
}

}  // namespace rdpwarden::storage
")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
