# Compiler flags every rdpwarden target shares. Call rdpwarden_defaults(<target>) on each.
set(RDPWARDEN_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wformat=2 -Wimplicit-fallthrough)

if(RDPWARDEN_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
  # Line tables are all a sanitizer report needs; full debug info costs ~15 % of the build.
  if(CMAKE_BUILD_TYPE STREQUAL "Debug")
    add_compile_options(-g1)
  endif()
endif()

# Heavy third-party headers (nlohmann/json, Beast, Catch2: 3-4 s each per file under ASan)
# parsed once per target instead of once per file.
option(RDPWARDEN_PCH "Precompile heavy third-party headers" ON)
function(rdpwarden_precompile target)
  if(RDPWARDEN_PCH)
    target_precompile_headers(${target} PRIVATE ${ARGN})
  endif()
endfunction()

function(rdpwarden_defaults target)
  target_compile_options(${target} PRIVATE ${RDPWARDEN_WARNINGS})
  if(RDPWARDEN_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# A module library: public headers in include/, private code in src/.
function(rdpwarden_module name)
  cmake_parse_arguments(M "" "" "SOURCES" ${ARGN})
  add_library(rdpwarden_${name} STATIC ${M_SOURCES})
  add_library(rdpwarden::${name} ALIAS rdpwarden_${name})
  target_include_directories(rdpwarden_${name}
    PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  rdpwarden_defaults(rdpwarden_${name})
endfunction()
