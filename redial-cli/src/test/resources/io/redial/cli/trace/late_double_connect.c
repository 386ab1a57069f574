/* Waits for a line on stdin (the test sends it once strace is attached), then connects one
   socket twice.  Usage: late_double_connect PORT */
#include <arpa/inet.h>
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
  char line[16];
  if (fgets(line, sizeof line, stdin) == NULL) return 65;
  connect(s, (struct sockaddr *)&a, sizeof a); /* MARK: first-connect */
  connect(s, (struct sockaddr *)&a, sizeof a); /* MARK: reconnect */
  close(s);
  return 0;
}
