/* A clean client: a fresh socket for every attempt, the old one closed first. The descriptor
   number is reused by each new socket (a new socket, not a reuse); dup2 and fcntl are used the
   way servers do.  Usage: clean PORT EXIT_STATUS */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "loopback.h"

int main(int argc, char **argv) {
  if (argc != 3) return 64;
  struct sockaddr_in a = loopback(argv[1]);
  for (int attempt = 0; attempt < 3; attempt++) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    fcntl(s, F_SETFD, FD_CLOEXEC);
    if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) return 65;
    write(s, "hi\n", 3);
    close(s);
  }
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int moved = dup2(s, 10);
  close(s);
  if (connect(moved, (struct sockaddr *)&a, sizeof a) != 0) return 66;
  close(moved);
  return atoi(argv[2]);
}
