# Records the version and the source commit so that --version and nimbus_build_info can report them.
# NIMBUS_COMMIT overrides the lookup for builds outside a git checkout, such as a container build.
set(NIMBUS_COMMIT "$ENV{NIMBUS_COMMIT}" CACHE STRING "Source commit reported by --version")
if(NOT NIMBUS_COMMIT)
  execute_process(COMMAND git rev-parse --short=12 HEAD
                  WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
                  OUTPUT_VARIABLE nimbus_git_commit
                  OUTPUT_STRIP_TRAILING_WHITESPACE
                  ERROR_QUIET)
  if(nimbus_git_commit)
    set(NIMBUS_COMMIT "${nimbus_git_commit}")
  else()
    set(NIMBUS_COMMIT "unknown")
  endif()
endif()

configure_file("${CMAKE_CURRENT_SOURCE_DIR}/cmake/build_info.hpp.in"
               "${CMAKE_CURRENT_BINARY_DIR}/generated/nimbus/build_info.hpp" @ONLY)
