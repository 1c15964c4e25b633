# The web player benchmark (built, not run by ctest): see tests/bench/RESULTS.md, "Web player".
add_executable(web_player_bench ${CMAKE_CURRENT_LIST_DIR}/web_player_bench.cpp)
target_link_libraries(web_player_bench PRIVATE rdpwarden_web_test_support)
rdpwarden_defaults(web_player_bench)

# The live-view latency benchmark (issue 7): see tests/bench/RESULTS.md, "Live view".
# --gateway runs it through the real gateway (GatewayProcess, a shadow target, X11 painting).
find_package(X11 REQUIRED)
add_executable(web_live_bench ${CMAKE_CURRENT_LIST_DIR}/web_live_bench.cpp)
target_link_libraries(web_live_bench PRIVATE rdpwarden_web_test_support gateway_e2e_support
                      X11::X11)
rdpwarden_defaults(web_live_bench)
