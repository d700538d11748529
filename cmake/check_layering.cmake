# Run by kactor_component() at build time (cmake -P): fails when a file of COMPONENT
# includes a kactor header outside the folders it may use (ALLOWED), or another
# component's detail/ header. Only includes of the repository's own top-level folders
# (api/, telemetry/, store/, actors/, runtime/) are checked; system and third-party headers
# are not.

set(_bad)
foreach(_file ${FILES})
  file(STRINGS ${_file} _lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
  file(RELATIVE_PATH _rel ${ROOT} ${_file})
  foreach(_line ${_lines})
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\".*" "\\1" _inc "${_line}")
    if(NOT _inc MATCHES "^(api|telemetry|store|actors|runtime)/")
      continue()
    endif()
    # The folder that owns the header: the longest ALLOWED or EXCLUDED prefix decides.
    set(_owner "")
    foreach(_dir ${ALLOWED} ${EXCLUDED})
      string(LENGTH "${_dir}" _n)
      string(LENGTH "${_owner}" _m)
      if(_inc MATCHES "^${_dir}/" AND _n GREATER _m)
        set(_owner ${_dir})
      endif()
    endforeach()
    list(FIND ALLOWED "${_owner}" _at)
    if(_owner STREQUAL "" OR _at EQUAL -1)
      list(APPEND _bad "${_rel}: includes \"${_inc}\", but ${COMPONENT} does not declare the component that owns it")
    elseif(_inc MATCHES "/detail/" AND NOT _owner STREQUAL OWN)
      list(APPEND _bad "${_rel}: includes \"${_inc}\", a detail/ header private to ${_owner}")
    endif()
  endforeach()
endforeach()

if(_bad)
  list(JOIN _bad "\n  " _text)
  message(FATAL_ERROR "layering check failed for ${COMPONENT}:\n  ${_text}\n"
          "Declare the dependency in the component's CMakeLists.txt (DEPS), or move the code.")
endif()
file(TOUCH ${STAMP})
