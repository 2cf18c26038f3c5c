# placement_proto_library(name PROTOS a.proto b.proto [GRPC])
# Generates C++ (and gRPC stubs with GRPC) under the build tree and compiles it apart, with
# warnings relaxed and SYSTEM includes: generated code is not ours to fix.
function(placement_proto_library name)
  cmake_parse_arguments(ARG "GRPC" "" "PROTOS;DEPS" ${ARGN})
  set(_out ${PROJECT_BINARY_DIR}/gen)
  file(MAKE_DIRECTORY ${_out})
  set(_srcs)
  foreach(_proto IN LISTS ARG_PROTOS)
    get_filename_component(_abs ${_proto} ABSOLUTE)
    file(RELATIVE_PATH _rel ${PROJECT_SOURCE_DIR}/protos ${_abs})
    string(REGEX REPLACE "\\.proto$" "" _stem ${_rel})
    set(_gen ${_out}/${_stem}.pb.cc ${_out}/${_stem}.pb.h)
    set(_args --cpp_out=${_out})
    if(ARG_GRPC)
      list(APPEND _gen ${_out}/${_stem}.grpc.pb.cc ${_out}/${_stem}.grpc.pb.h)
      list(APPEND _args --grpc_out=${_out} --plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN})
    endif()
    add_custom_command(
      OUTPUT ${_gen}
      COMMAND protobuf::protoc ${_args} -I ${PROJECT_SOURCE_DIR}/protos ${_abs}
      DEPENDS ${_abs} protobuf::protoc
      COMMENT "protoc ${_rel}"
      VERBATIM)
    list(APPEND _srcs ${_gen})
  endforeach()
  add_library(${name} STATIC ${_srcs})
  target_include_directories(${name} SYSTEM PUBLIC ${_out})
  target_link_libraries(${name} PUBLIC protobuf::libprotobuf ${ARG_DEPS})
  if(ARG_GRPC)
    target_link_libraries(${name} PUBLIC ${PLACEMENT_GRPC_LIBS})
  endif()
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()
