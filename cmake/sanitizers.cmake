# Applies NIMBUS_SANITIZE to every target configured after this point, third-party code excluded.
if(NIMBUS_SANITIZE)
  string(REPLACE ";" "," nimbus_sanitizer_list "${NIMBUS_SANITIZE}")
  add_compile_options(-fsanitize=${nimbus_sanitizer_list} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${nimbus_sanitizer_list})
  # With sanitizer instrumentation GCC 12 reports -Wmaybe-uninitialized inside libstdc++'s own
  # std::regex and std::function code, which -Werror would turn into a build failure.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
  # GCC 12 warns that ThreadSanitizer does not model Boost.Asio's atomic_thread_fence, and -Werror
  # would turn that into a build failure; the fences are in Boost's headers, not in our code.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND "thread" IN_LIST NIMBUS_SANITIZE)
    add_compile_options(-Wno-tsan)
  endif()
endif()
