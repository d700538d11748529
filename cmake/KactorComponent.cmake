# kactor_component(): one static library per component folder, with its dependencies
# declared, and a build step that enforces them: a file of a component may include only
# headers of its own folder and of the components it declares (directly). A cycle, or an
# include a component did not declare, fails the build. Headers under a `detail/` folder
# are private to their component.
#
#   kactor_component(<target> DIR <folder> [EXCLUDE <subfolder>...]
#                    [DEPS <kactor targets>...] [LIBS <public libs>...]
#                    [PRIVATE_LIBS <private libs>...])
#
# <folder> is relative to the repository root; EXCLUDE names subfolders (relative to it) that
# are components of their own.

set(KACTOR_LAYERING_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/check_layering.cmake)

function(kactor_component target)
  cmake_parse_arguments(ARG "" "DIR" "EXCLUDE;DEPS;LIBS;PRIVATE_LIBS" ${ARGN})
  set(_dir ${PROJECT_SOURCE_DIR}/${ARG_DIR})
  file(GLOB_RECURSE _sources CONFIGURE_DEPENDS ${_dir}/*.cpp)
  file(GLOB_RECURSE _headers CONFIGURE_DEPENDS ${_dir}/*.hpp)
  set(_excluded)
  foreach(_ex ${ARG_EXCLUDE})
    list(FILTER _sources EXCLUDE REGEX "^${_dir}/${_ex}/")
    list(FILTER _headers EXCLUDE REGEX "^${_dir}/${_ex}/")
    list(APPEND _excluded ${ARG_DIR}/${_ex})
  endforeach()
  list(FILTER _sources EXCLUDE REGEX "/main\\.cpp$")

  add_library(${target} STATIC ${_sources})
  target_link_libraries(${target} PUBLIC kactor_options ${ARG_DEPS} ${ARG_LIBS}
                        PRIVATE ${ARG_PRIVATE_LIBS})
  set_target_properties(${target} PROPERTIES KACTOR_DIR ${ARG_DIR})

  _kactor_check_includes(${target} "${ARG_DIR}" "${_excluded}" "${ARG_DEPS}"
                         "${_sources};${_headers}")
endfunction()

# kactor_check_includes(<target> DIR <folder> FILES <files>... DEPS <kactor targets>...):
# the same check for a target that is not a component (the `kactor` executable): its files
# may include headers of <folder> and of the components it declares.
function(kactor_check_includes target)
  cmake_parse_arguments(ARG "" "DIR" "FILES;DEPS" ${ARGN})
  _kactor_check_includes(${target} "${ARG_DIR}" "" "${ARG_DEPS}" "${ARG_FILES}")
endfunction()

function(_kactor_check_includes target dir excluded deps files)
  # Folders the target may include from: its own and its direct dependencies'.
  set(_allowed ${dir})
  foreach(_dep ${deps})
    get_target_property(_dep_dir ${_dep} KACTOR_DIR)
    if(NOT _dep_dir)
      message(FATAL_ERROR "${target}: dependency ${_dep} is not a kactor component")
    endif()
    list(APPEND _allowed ${_dep_dir})
  endforeach()

  set(_stamp ${CMAKE_CURRENT_BINARY_DIR}/${target}.layering)
  add_custom_command(OUTPUT ${_stamp}
    COMMAND ${CMAKE_COMMAND} -DROOT=${PROJECT_SOURCE_DIR} -DCOMPONENT=${target}
            "-DOWN=${dir}" "-DEXCLUDED=${excluded}" "-DALLOWED=${_allowed}"
            "-DFILES=${files}" -DSTAMP=${_stamp}
            -P ${KACTOR_LAYERING_SCRIPT}
    DEPENDS ${files} ${KACTOR_LAYERING_SCRIPT}
    COMMENT "Checking the includes of ${target}"
    VERBATIM)
  add_custom_target(${target}_layering DEPENDS ${_stamp})
  add_dependencies(${target} ${target}_layering)
endfunction()
