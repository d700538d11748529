# Install rules and a CMake package config, so another project can
#   find_package(kactor) and link kactor::kactor_runtime (the in-tree alias kactor::runtime
# is not exported). cmake/install_test/ proves it works (a CTest entry).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS kactor_options kactor_api kactor_api_testing kactor_telemetry kactor_store kactor_common
    kactor_tokens kactor_apiserver_protocol kactor_apiserver kactor_client kactor_scheduler
    kactor_kubelet_protocol kactor_kubelet kactor_metrics_protocol kactor_metrics
    kactor_cloud kactor_controllers kactor_proxy kactor_remote kactor_runtime
  EXPORT kactorTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS kactor RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
foreach(dir api telemetry store actors runtime)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/ DESTINATION include/kactor/${dir}
          FILES_MATCHING PATTERN "*.hpp")
endforeach()
install(EXPORT kactorTargets NAMESPACE kactor:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kactor)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/kactorConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/kactorConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kactor)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/kactorConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/kactorConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/kactorConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/FindCAF.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kactor)
