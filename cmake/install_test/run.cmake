# The installed-package test (a CTest entry, see tests/CMakeLists.txt): installs the build
# tree into a fresh prefix (nothing is rebuilt), checks that every header it installs finds
# the kactor headers it includes there, then configures, builds and runs consumer/ against
# that prefix alone. The scratch folder is removed when everything passed.
#   cmake -DBUILD_DIR=<kactor build> -DWORK_DIR=<scratch> -DGENERATOR=<generator>
#         -DCXX=<compiler> [-DLAUNCHER=<ccache>] -P run.cmake

foreach(_var BUILD_DIR WORK_DIR GENERATOR CXX)
  if(NOT ${_var})
    message(FATAL_ERROR "run.cmake: ${_var} is not set")
  endif()
endforeach()
set(_prefix ${WORK_DIR}/prefix)
set(_consumer_build ${WORK_DIR}/consumer)

# Runs a command; on failure prints its output and stops the test.
function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${_rc}):\n${_out}")
  endif()
  message(STATUS "${what}: ok")
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
step("cmake --install into ${_prefix}" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${_prefix})

# Every `#include "x"` of an installed header must be installed too.
set(_include_root ${_prefix}/include/kactor)
file(GLOB_RECURSE _headers ${_include_root}/*.hpp)
if(NOT _headers)
  message(FATAL_ERROR "no headers installed under ${_include_root}")
endif()
set(_missing)
foreach(_h ${_headers})
  file(STRINGS ${_h} _includes REGEX "^#include \"[^\"]+\"")
  foreach(_line ${_includes})
    string(REGEX REPLACE "^#include \"([^\"]+)\".*" "\\1" _inc "${_line}")
    if(NOT EXISTS ${_include_root}/${_inc})
      file(RELATIVE_PATH _rel ${_include_root} ${_h})
      list(APPEND _missing "${_rel} includes ${_inc}")
    endif()
  endforeach()
endforeach()
if(_missing)
  list(JOIN _missing "\n  " _list)
  message(FATAL_ERROR "installed headers include what was not installed:\n  ${_list}")
endif()
list(LENGTH _headers _count)
message(STATUS "${_count} installed headers: every kactor include is installed")

set(_launcher)
if(LAUNCHER)
  set(_launcher -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
endif()
# Only the fresh prefix: the consumer must not see the source tree or the build tree.
step("configure the consumer" ${CMAKE_COMMAND} -S ${CMAKE_CURRENT_LIST_DIR}/consumer
  -B ${_consumer_build} -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX} ${_launcher}
  -DCMAKE_PREFIX_PATH=${_prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
step("build the consumer" ${CMAKE_COMMAND} --build ${_consumer_build})
execute_process(COMMAND ${_consumer_build}/consumer RESULT_VARIABLE _rc OUTPUT_VARIABLE _out
  ERROR_VARIABLE _out)
message("${_out}")
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "the consumer failed (${_rc})")
endif()
file(REMOVE_RECURSE ${WORK_DIR})
