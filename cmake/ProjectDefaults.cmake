# Compiler flags every rdpwarden target shares. Call rdpwarden_defaults(<target>) on each.
set(RDPWARDEN_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wformat=2 -Wimplicit-fallthrough)

if(RDPWARDEN_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

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
