# The fuzz build (FOLLOWUPD_FUZZ=ON, in a build folder of its own: bench/fuzz.sh,
# scripts/test): every library the targets link is compiled with libFuzzer's
# coverage and with ASan and UBSan, so a bad read anywhere under a parser is
# found, not only in the target's own lines. Debian's clang: the fuzzer runtime
# is libclang-rt-14-dev. UBSan stops at its first report, so libFuzzer keeps
# the input that caused it.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "FOLLOWUPD_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
endif()
# -O1 -g for long runs (bench/fuzz.sh); scripts/test's short runs build with
# -O0 -gline-tables-only, which compiles in under half the time. These flags
# replace the build type's own; assertions stay on (no NDEBUG).
set(FOLLOWUPD_FUZZ_OPT "-O1 -g" CACHE STRING "optimisation and debug flags of the fuzz build")
string(TOUPPER "${CMAKE_BUILD_TYPE}" FU_BUILD_TYPE)
set(CMAKE_CXX_FLAGS_${FU_BUILD_TYPE} "")
separate_arguments(FU_FUZZ_OPT UNIX_COMMAND "${FOLLOWUPD_FUZZ_OPT}")
set(FU_SANITIZERS address,undefined)
add_compile_options(${FU_FUZZ_OPT} -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,${FU_SANITIZERS}
                    -fno-sanitize-recover=all)
add_link_options(-fsanitize=${FU_SANITIZERS})
