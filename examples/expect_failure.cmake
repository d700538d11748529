# Runs an example that must fail, as a CTest entry: it passes only if the program exits
# non-zero and its output says why (matches EXPECT), so a failing example can never pass
# as a success, nor fail without a reason.
#   cmake -DPROGRAM=<path> [-DARGS=<a;b>] -DEXPECT=<regex> -P expect_failure.cmake
execute_process(COMMAND ${PROGRAM} ${ARGS}
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE out)
message("${out}")
if(rc EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited 0, but it had to fail")
endif()
if(NOT out MATCHES "${EXPECT}")
  message(FATAL_ERROR "${PROGRAM} failed (${rc}) without saying \"${EXPECT}\"")
endif()
message("${PROGRAM} failed as expected (${rc})")
