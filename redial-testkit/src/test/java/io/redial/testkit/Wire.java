package io.redial.testkit;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

/** Plain blocking-socket helpers for the tests: what a client on the other side of the proxy sees. */
final class Wire {
  private Wire() {}

  static Socket connect(InetSocketAddress address) throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setSoTimeout(5_000);
    s.connect(address, 5_000);
    return s;
  }

  static byte[] lengthPrefixed(byte[] payload) {
    return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
  }

  /** Reads exactly n bytes, within the socket's timeout per read. */
  static byte[] readExactly(Socket s, int n) throws IOException {
    byte[] out = new byte[n];
    new DataInputStream(s.getInputStream()).readFully(out);
    return out;
  }

  /** Reads one length-prefixed frame's payload. */
  static byte[] readFrame(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    int len = in.readInt();
    byte[] out = new byte[len];
    in.readFully(out);
    return out;
  }

  /** Sends a frame and reads its echo; returns the nanoseconds it took. */
  static long roundTripNanos(Socket s, byte[] payload) throws IOException {
    long start = System.nanoTime();
    s.getOutputStream().write(lengthPrefixed(payload));
    byte[] back = readFrame(s);
    long took = System.nanoTime() - start;
    if (!java.util.Arrays.equals(back, payload)) {
      throw new IOException("echo differs");
    }
    return took;
  }

  /** True if nothing at all arrives within {@code quiet} (and the stream is not at its end). */
  static boolean silentFor(Socket s, Duration quiet) throws IOException {
    int old = s.getSoTimeout();
    s.setSoTimeout((int) quiet.toMillis());
    try {
      InputStream in = s.getInputStream();
      int b = in.read();
      if (b < 0) {
        throw new IOException("end of stream: the socket was closed");
      }
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    } finally {
      s.setSoTimeout(old);
    }
  }
}
