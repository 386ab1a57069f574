/* A non-blocking connect called twice instead of waiting for writability.
   Usage: nonblocking_twice PORT */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "loopback.h"

int main(int argc, char **argv) {
  if (argc != 2) return 64;
  struct sockaddr_in a = loopback(argv[1]);
  int s = socket(AF_INET, SOCK_STREAM, 0);
  fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK);
  int r1 = connect(s, (struct sockaddr *)&a, sizeof a); /* MARK: first-connect */
  int e1 = errno;
  int r2 = connect(s, (struct sockaddr *)&a, sizeof a); /* MARK: second-connect */
  printf("first: %d %s, second: %d %s\n", r1, r1 ? strerror(e1) : "ok", r2,
         r2 ? strerror(errno) : "ok");
  close(s);
  return 0;
}
