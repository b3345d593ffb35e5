#pragma once
// One small exception hierarchy (ARCHITECTURE.md example 5): the CLI maps these to exit codes
// and the server to HTTP statuses, each in one place.
#include <stdexcept>
#include <string>
#include <string_view>

namespace findbuch {

/// Base of every error Findbuch throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The caller asked for something malformed: wrong command-line usage (exit code 2).
class UsageError : public Error {
 public:
  using Error::Error;
};

/// Bad input data: a file, a field value, a reference that does not exist (exit code 1).
/// The message names the file, line or element path and the field.
class InputError : public Error {
 public:
  using Error::Error;
};

/// The environment failed: I/O, a locked or corrupt workspace, a newer schema (exit code 1).
class EnvironmentError : public Error {
 public:
  using Error::Error;
};

/// "text" in double quotes, for messages that name a value.
inline std::string in_quotes(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.append(1, '"').append(text).append(1, '"');
  return out;
}

}  // namespace findbuch
