# One `kactor up -f` reproducer (tests/CMakeLists.txt registers them): the kactor binary must
# exit non-zero, by itself (no signal, no abort), within TIMEOUT seconds, with a short message
# matching EXPECT.
#   -DKACTOR=<binary> -DMANIFEST=<path> -DEXPECT=<regex> -DWORK=<scratch dir>
#   [-DGENERATE=big|empty-dir]: make MANIFEST first (a 10 MB document without kind, or an
#   empty directory).
#   [-DFLAGS=a,b]: more flags for `kactor up` (comma-separated).
cmake_minimum_required(VERSION 3.20)
if(GENERATE STREQUAL "big")
  file(MAKE_DIRECTORY ${WORK})
  string(REPEAT "x" 1048576 _mib)
  file(WRITE ${MANIFEST} "data: ")
  foreach(_i RANGE 1 10)
    file(APPEND ${MANIFEST} "${_mib}")
  endforeach()
  file(APPEND ${MANIFEST} "\n")
elseif(GENERATE STREQUAL "empty-dir")
  file(REMOVE_RECURSE ${MANIFEST})
  file(MAKE_DIRECTORY ${MANIFEST})
endif()
if(NOT TIMEOUT)
  set(TIMEOUT 20)
endif()
string(REPLACE "," ";" _flags "${FLAGS}")
execute_process(COMMAND ${KACTOR} up --in-memory --nodes 1 ${_flags} -f ${MANIFEST}
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err TIMEOUT ${TIMEOUT})
set(_all "${_out}${_err}")
if(GENERATE STREQUAL "big")
  file(REMOVE ${MANIFEST})
endif()
if(NOT _rc MATCHES "^[0-9]+$")
  message(FATAL_ERROR "kactor did not exit by itself: ${_rc}\n${_all}")
endif()
if(_rc EQUAL 0)
  message(FATAL_ERROR "kactor exited 0 on a bad manifest\n${_all}")
endif()
if(NOT _all MATCHES "${EXPECT}")
  message(FATAL_ERROR "kactor's message does not match '${EXPECT}':\n${_all}")
endif()
string(LENGTH "${_all}" _length)
if(_length GREATER 1000)
  message(FATAL_ERROR "kactor's message is ${_length} characters, not short")
endif()
message(STATUS "exit ${_rc}: ${_all}")
