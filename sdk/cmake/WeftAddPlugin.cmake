# weft_add_plugin(<name> SOURCES <files...> [BUILD_ID <id>] [OUTPUT_DIRECTORY <dir>])
#
# Builds a weft plugin: a MODULE library named <name>.so that exports only weft_plugin_v1
# (hidden visibility, no undefined symbols, static dependencies not re-exported), links the SDK
# and installs into lib/weft/plugins.
function(weft_add_plugin name)
  cmake_parse_arguments(ARG "" "BUILD_ID;OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "weft_add_plugin(${name}): SOURCES is required")
  endif()
  add_library(${name} MODULE ${ARG_SOURCES})
  if(TARGET weft_sdk)
    target_link_libraries(${name} PRIVATE weft_sdk)
  else()
    target_link_libraries(${name} PRIVATE WeftSDK::sdk)
  endif()
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # Hidden visibility does not cover template instances the standard library marks default,
  # so a version script makes weft_plugin_v1 the only exported symbol.
  set(map "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/weft_plugin.map")
  target_link_options(${name} PRIVATE -Wl,-z,defs -Wl,--exclude-libs,ALL
                      "-Wl,--version-script=${map}")
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS "${map}")
  if(NOT ARG_BUILD_ID)
    string(TIMESTAMP ARG_BUILD_ID "%Y%m%d")
    set(ARG_BUILD_ID "${PROJECT_NAME}-${PROJECT_VERSION}-${ARG_BUILD_ID}")
  endif()
  target_compile_definitions(${name} PRIVATE WEFT_PLUGIN_BUILD_ID="${ARG_BUILD_ID}")
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  elseif(DEFINED WEFT_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${WEFT_PLUGIN_OUTPUT_DIR})
  endif()
  install(TARGETS ${name} LIBRARY DESTINATION lib/weft/plugins)
endfunction()
