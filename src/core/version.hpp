#pragma once
// The version recorded in --version output and in every derivative's processing history; set
// from the CMake project version.
namespace findbuch {

inline constexpr const char* kVersion = FINDBUCH_VERSION;

}  // namespace findbuch
