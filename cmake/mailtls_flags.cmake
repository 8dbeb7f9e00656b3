# Compiler flags shared by every mailtls target (applied through the mailtls_flags interface).
add_library(mailtls_flags INTERFACE)
target_compile_options(mailtls_flags INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                               -Wno-sign-conversion)
if(MAILTLS_WERROR)
  target_compile_options(mailtls_flags INTERFACE -Werror)
endif()

if(MAILTLS_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "MAILTLS_FUZZ needs clang (use the 'fuzz' preset)")
  endif()
  # Instrument everything for coverage; only fuzz targets link the libFuzzer main.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined)
elseif(MAILTLS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
