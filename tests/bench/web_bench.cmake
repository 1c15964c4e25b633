# The web player benchmark (built, not run by ctest): see tests/bench/RESULTS.md, "Web player".
add_executable(web_player_bench ${CMAKE_CURRENT_LIST_DIR}/web_player_bench.cpp
               ${CMAKE_CURRENT_LIST_DIR}/web_player_bench_recording.cpp)
target_link_libraries(web_player_bench PRIVATE rdpwarden_web_test_support)
rdpwarden_defaults(web_player_bench)
# Its recording alone (codec only, no console): made ahead of a run, into the same cache.
add_executable(web_player_bench_record ${CMAKE_CURRENT_LIST_DIR}/web_player_bench_record.cpp
               ${CMAKE_CURRENT_LIST_DIR}/web_player_bench_recording.cpp
               ${PROJECT_SOURCE_DIR}/tests/server/web/recorded_session.cpp)
target_include_directories(web_player_bench_record PRIVATE ${PROJECT_SOURCE_DIR}/tests)
target_link_libraries(web_player_bench_record PRIVATE rdpwarden_codec fmt::fmt Threads::Threads)
rdpwarden_defaults(web_player_bench_record)

# The live-view latency benchmark (issue 7): see tests/bench/RESULTS.md, "Live view".
# --gateway runs it through the real gateway (GatewayProcess, a shadow target, X11 painting).
find_package(X11 REQUIRED)
add_executable(web_live_bench ${CMAKE_CURRENT_LIST_DIR}/web_live_bench.cpp)
target_link_libraries(web_live_bench PRIVATE rdpwarden_web_test_support gateway_e2e_support
                      X11::X11)
rdpwarden_defaults(web_live_bench)
