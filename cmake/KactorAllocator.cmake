# The memory allocator of kactor's own programs (the `kactor` command, benchmarks, tests):
# tcmalloc (gperftools' minimal build, Debian's libtcmalloc-minimal4). Every component
# allocates per object and per message (decoded objects, watch events, CAF messages) from
# several threads, where glibc's malloc spent a fifth of the API server's and scheduler's
# CPU and faulted fresh pages in again and again; with tcmalloc the in-process density run
# is ~1.6x as fast (bench/README.md, "tcmalloc"). Libraries never choose an allocator: a
# program embedding kactor keeps its own.
#
# Off in sanitizer builds (AddressSanitizer replaces malloc itself; -fsanitize in the
# compiler or linker flags) and with
# -DKACTOR_TCMALLOC=OFF.
option(KACTOR_TCMALLOC "Link kactor's programs with tcmalloc (libtcmalloc-minimal4)" ON)
set(KACTOR_ALLOCATOR_LIBRARY "")
string(TOUPPER "${CMAKE_BUILD_TYPE}" _kactor_build_type)
set(_kactor_flags "${CMAKE_CXX_FLAGS} ${CMAKE_CXX_FLAGS_${_kactor_build_type}} ${CMAKE_EXE_LINKER_FLAGS}")
if(KACTOR_TCMALLOC AND NOT _kactor_flags MATCHES "sanitize")
  # The runtime package has no unversioned .so (only libgoogle-perftools-dev does, which
  # brings libunwind-dev along): find the versioned library by its file name.
  find_library(KACTOR_TCMALLOC_LIBRARY NAMES tcmalloc_minimal libtcmalloc_minimal.so.4)
  if(NOT KACTOR_TCMALLOC_LIBRARY)
    message(FATAL_ERROR "tcmalloc not found: install Debian's libtcmalloc-minimal4 "
                        "(cmake/setup.sh does), or configure with -DKACTOR_TCMALLOC=OFF")
  endif()
  set(KACTOR_ALLOCATOR_LIBRARY ${KACTOR_TCMALLOC_LIBRARY})
endif()

# Links `target` (an executable) with the allocator, when there is one.
function(kactor_use_allocator target)
  if(KACTOR_ALLOCATOR_LIBRARY)
    target_link_libraries(${target} PRIVATE ${KACTOR_ALLOCATOR_LIBRARY})
  endif()
endfunction()
