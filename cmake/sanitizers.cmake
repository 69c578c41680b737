# Applies NIMBUS_SANITIZE to every target configured after this point, third-party code excluded.
if(NIMBUS_SANITIZE)
  string(REPLACE ";" "," nimbus_sanitizer_list "${NIMBUS_SANITIZE}")
  add_compile_options(-fsanitize=${nimbus_sanitizer_list} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${nimbus_sanitizer_list})
endif()
