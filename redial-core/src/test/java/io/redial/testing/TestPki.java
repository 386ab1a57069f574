package io.redial.testing;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

/** Certificates made by the tests themselves, and the TLS contexts built from them. */
public final class TestPki {
  private TestPki() {}

  /** A self-signed certificate authority. */
  public static X509Bundle ca(String subject) throws Exception {
    return new CertificateBuilder().subject(subject).setIsCertificateAuthority(true).ecp256()
        .buildSelfSigned();
  }

  /**
   * A server context with a certificate for {@code localhost} issued by {@code ca}; it trusts
   * client certificates issued by {@code clientCa} (null: none asked for).
   */
  public static SSLContext server(X509Bundle ca, X509Bundle clientCa) throws Exception {
    X509Bundle leaf = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
        .addExtendedKeyUsageServerAuth().ecp256().buildIssuedBy(ca);
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(leaf.toKeyManagerFactory().getKeyManagers(),
        clientCa == null ? null : clientCa.toTrustManagerFactory().getTrustManagers(), null);
    return c;
  }

  /**
   * A client context trusting {@code serverCa}, presenting a certificate for {@code subject}
   * issued by {@code clientCa} (both null: no client certificate).
   */
  public static SSLContext client(X509Bundle serverCa, X509Bundle clientCa, String subject)
      throws Exception {
    KeyManager[] keys = null;
    if (clientCa != null) {
      keys = new CertificateBuilder().subject(subject).addExtendedKeyUsageClientAuth().ecp256()
          .buildIssuedBy(clientCa).toKeyManagerFactory().getKeyManagers();
    }
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(keys, serverCa.toTrustManagerFactory().getTrustManagers(), null);
    return c;
  }
}
