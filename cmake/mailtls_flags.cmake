# Compiler flags shared by every mailtls target (applied through the mailtls_flags interface).
add_library(mailtls_flags INTERFACE)
target_compile_options(mailtls_flags INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                               -Wno-sign-conversion)
# GCC 12 at -O2 reports -Wmaybe-uninitialized inside std::variant's move constructor when a
# variant with a std::string alternative is pushed into a vector (a known GCC 12 false
# positive) and breaks optimised -Werror builds. Debug builds (CI) keep the warning.
target_compile_options(mailtls_flags INTERFACE
                       $<$<AND:$<CXX_COMPILER_ID:GNU>,$<NOT:$<CONFIG:Debug>>>:-Wno-maybe-uninitialized>)
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
