package io.redial.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A real TLS echo server on 127.0.0.1 (JDK sockets, a thread per connection), for tests: it
 * records, per accepted connection, the server name the client asked for (SNI) and the subject of
 * the client's certificate, and can restart on the same port.
 */
public final class TlsEchoServer implements AutoCloseable {
  /** What one accepted connection showed in its handshake. */
  public record Handshake(String serverName, String clientSubject) {}

  private final SSLContext context;
  private final boolean needClientAuth;
  private final List<Handshake> handshakes = new CopyOnWriteArrayList<>();
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private volatile SSLServerSocket server;
  private Thread acceptor;
  private int port;

  public TlsEchoServer(SSLContext context, boolean needClientAuth) throws IOException {
    this.context = context;
    this.needClientAuth = needClientAuth;
    listen(0);
  }

  private void listen(int onPort) throws IOException {
    SSLServerSocket s = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
    s.setReuseAddress(true);
    s.setNeedClientAuth(needClientAuth);
    try {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
    } catch (IOException e) {
      s.close();
      throw e;
    }
    server = s;
    port = s.getLocalPort();
    acceptor = new Thread(() -> acceptLoop(s), "tls-echo-acceptor-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void acceptLoop(SSLServerSocket s) {
    while (!s.isClosed()) {
      Socket socket;
      try {
        socket = s.accept();
      } catch (IOException closed) {
        return;
      }
      accepted.add(socket);
      Thread t = new Thread(() -> serve((SSLSocket) socket), "tls-echo");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(SSLSocket socket) {
    try {
      socket.startHandshake();
      SSLSession session = socket.getSession();
      String sni = null;
      if (session instanceof ExtendedSSLSession ext) {
        for (SNIServerName n : ext.getRequestedServerNames()) {
          if (n instanceof SNIHostName h) {
            sni = h.getAsciiName();
          }
        }
      }
      String subject = null;
      try {
        Certificate[] chain = session.getPeerCertificates();
        subject = ((X509Certificate) chain[0]).getSubjectX500Principal().getName();
      } catch (SSLPeerUnverifiedException noClientCertificate) {
        // recorded as null
      }
      handshakes.add(new Handshake(sni, subject));
    } catch (IOException e) {
      closeQuietly(socket);
      return;
    }
    EchoMain.echo(socket);
  }

  public int port() {
    return port;
  }

  /** The address, with {@code host} as its name (no lookup): the endpoint's host for TLS. */
  public InetSocketAddress address(String host) throws IOException {
    return new InetSocketAddress(
        InetAddress.getByAddress(host, InetAddress.getLoopbackAddress().getAddress()), port);
  }

  /** Every completed handshake, in order. */
  public List<Handshake> handshakes() {
    return handshakes;
  }

  /** Closes the listening socket and every connection, then listens again on the same port. */
  public void restart() throws IOException, InterruptedException {
    stop();
    // the JDK closes a listening socket's descriptor only once the thread blocked in accept()
    // has left it: wait for that thread, then bind again (bounded)
    acceptor.join(5_000);
    for (int i = 0; ; i++) {
      try {
        listen(port);
        return;
      } catch (java.net.BindException e) {
        if (i >= 100) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  private void stop() throws IOException {
    server.close();
    for (Socket s : accepted) {
      closeQuietly(s);
    }
    accepted.clear();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
