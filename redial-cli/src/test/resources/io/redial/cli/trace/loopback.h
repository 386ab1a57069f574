/* The loopback address the test programs connect to: 127.0.0.1 and the port given as text. */
#ifndef REDIAL_TRACE_LOOPBACK_H
#define REDIAL_TRACE_LOOPBACK_H
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

static struct sockaddr_in loopback(const char *port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)atoi(port));
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  return a;
}
#endif
