/* A reconnect that closes the socket and then connects the same (closed) descriptor.
   Usage: reuse_after_close PORT */
#include <arpa/inet.h>
#include <errno.h>
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
  if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) return 65;
  close(s); /* MARK: close */
  int r = connect(s, (struct sockaddr *)&a, sizeof a); /* MARK: reconnect */
  printf("reconnect: %d %s\n", r, r ? strerror(errno) : "ok");
  return 0;
}
