/* Two threads connect one socket. The program makes its own loopback listener with a full
   accept queue, so the first connect stays pending (SO_SNDTIMEO bounds it to 2 s) while the
   second thread calls connect() on the same socket.  Usage: two_threads */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in server;
static int shared;

static void *connector(void *arg) {
  (void)arg;
  int r = connect(shared, (struct sockaddr *)&server, sizeof server); /* MARK: first-thread */
  printf("first thread: %d %s\n", r, r ? strerror(errno) : "ok");
  return NULL;
}

int main(void) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  memset(&server, 0, sizeof server);
  server.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
  if (bind(listener, (struct sockaddr *)&server, sizeof server) != 0) return 65;
  socklen_t len = sizeof server;
  getsockname(listener, (struct sockaddr *)&server, &len);
  listen(listener, 0);
  /* Fill the accept queue (backlog 0 holds one), so further SYNs are dropped. */
  int fillers[2];
  for (int i = 0; i < 2; i++) {
    fillers[i] = socket(AF_INET, SOCK_STREAM, 0);
    struct timeval t = {0, 300000};
    setsockopt(fillers[i], SOL_SOCKET, SO_SNDTIMEO, &t, sizeof t);
    connect(fillers[i], (struct sockaddr *)&server, sizeof server);
  }
  shared = socket(AF_INET, SOCK_STREAM, 0);
  struct timeval timeout = {2, 0};
  setsockopt(shared, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  pthread_t t;
  pthread_create(&t, NULL, connector, NULL);
  struct timespec pause = {0, 300000000};
  nanosleep(&pause, NULL);
  int r = connect(shared, (struct sockaddr *)&server, sizeof server); /* MARK: second-thread */
  printf("second thread: %d %s\n", r, r ? strerror(errno) : "ok");
  pthread_join(t, NULL);
  close(shared);
  close(fillers[0]);
  close(fillers[1]);
  close(listener);
  return 0;
}
