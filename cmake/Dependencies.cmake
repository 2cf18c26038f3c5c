# All dependencies come from Debian 12 packages; scripts/setup installs them.
find_package(Threads REQUIRED)
find_package(Protobuf REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS program_options)
find_package(fmt CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)
find_package(RocksDB CONFIG REQUIRED)

# Debian's gRPC CMake config needs protobuf-compiler-grpc; fall back to pkg-config without it.
find_package(gRPC CONFIG QUIET)
if(gRPC_FOUND)
  set(PLACEMENT_GRPC_LIBS gRPC::grpc++ gRPC::grpc++_reflection)
  if(TARGET gRPC::grpc_cpp_plugin)
    get_target_property(GRPC_CPP_PLUGIN gRPC::grpc_cpp_plugin LOCATION)
  endif()
else()
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(GRPCPP REQUIRED IMPORTED_TARGET grpc++ grpc)
  find_library(GRPCPP_REFLECTION grpc++_reflection REQUIRED)
  set(PLACEMENT_GRPC_LIBS PkgConfig::GRPCPP ${GRPCPP_REFLECTION})
endif()
if(NOT GRPC_CPP_PLUGIN)
  find_program(GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
endif()

# Bearer tokens (JWT) are signed and verified with libjwt; Debian 12 ships no CMake config for it.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBJWT REQUIRED IMPORTED_TARGET libjwt)

if(PLACEMENT_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
