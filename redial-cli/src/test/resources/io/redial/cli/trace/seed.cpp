// The page's own example: a reconnect that calls connect() again on the same socket.
// Usage: seed PORT (a loopback server the test started)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cstdio>
#include <cstdlib>

static sockaddr_in loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  return a;
}

int main(int argc, char** argv) {
  if (argc != 2) return 64;
  sockaddr_in a = loopback(atoi(argv[1]));
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(s, (sockaddr*)&a, sizeof a) != 0) return 65;  // MARK: first-connect
  if (connect(s, (sockaddr*)&a, sizeof a) != 0) {           // MARK: reconnect
    std::perror("connect");
  }
  close(s);
  return 0;
}
