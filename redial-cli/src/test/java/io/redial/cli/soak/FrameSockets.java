package io.redial.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Plain blocking sockets speaking length-prefixed frames to the soak's echo server. */
final class FrameSockets {
  private FrameSockets() {}

  /** A socket to {@code server} with a 5 s read timeout. */
  static Socket open(InetSocketAddress server) throws IOException {
    Socket s = new Socket(server.getAddress(), server.getPort());
    s.setSoTimeout(5_000);
    return s;
  }

  /** Sends one frame and checks it comes back unchanged. */
  static void echo(Socket s, byte[] payload) throws IOException {
    DataOutputStream out = new DataOutputStream(s.getOutputStream());
    out.writeInt(payload.length);
    out.write(payload);
    out.flush();
    DataInputStream in = new DataInputStream(s.getInputStream());
    assertThat(in.readInt()).isEqualTo(payload.length);
    byte[] back = new byte[payload.length];
    in.readFully(back);
    assertThat(back).isEqualTo(payload);
  }
}
