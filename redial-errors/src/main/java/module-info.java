/** The catalog of socket errors: Winsock, POSIX errno (Linux, macOS) and JDK exceptions. */
module io.redial.errors {
  exports io.redial.errors;
}
