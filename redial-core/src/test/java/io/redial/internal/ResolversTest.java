package io.redial.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.resolver.AddressResolver;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hosts-file resolver used when the JVM runs with -Djdk.net.hosts.file. */
class ResolversTest {
  @Test
  void namesComeFromTheFileOnlyEveryAddressOfThemAndLiteralsAsThemselves(@TempDir Path dir)
      throws Exception {
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "# test\n10.1.1.1 a.test alias.test\n::2 a.test\n10.1.1.2 a.test\n");
    AddressResolver<InetSocketAddress> r =
        Resolvers.hostsFile(hosts.toFile()).getResolver(ImmediateEventExecutor.INSTANCE);

    Future<List<InetSocketAddress>> a = r.resolveAll(InetSocketAddress.createUnresolved("A.test.", 7));
    assertThat(a.isSuccess()).isTrue();
    assertThat(a.getNow()).containsExactly( // IPv4 first (java.net.preferIPv6Addresses unset)
        new InetSocketAddress(InetAddress.getByName("10.1.1.1"), 7),
        new InetSocketAddress(InetAddress.getByName("10.1.1.2"), 7),
        new InetSocketAddress(InetAddress.getByName("::2"), 7));
    assertThat(r.resolveAll(InetSocketAddress.createUnresolved("alias.test", 7)).getNow())
        .containsExactly(new InetSocketAddress(InetAddress.getByName("10.1.1.1"), 7));
    assertThat(r.resolveAll(InetSocketAddress.createUnresolved("192.0.2.9", 7)).getNow())
        .containsExactly(new InetSocketAddress(InetAddress.getByName("192.0.2.9"), 7));

    Future<List<InetSocketAddress>> missing =
        r.resolveAll(InetSocketAddress.createUnresolved("missing.test", 7));
    assertThat(missing.isSuccess()).isFalse();
    assertThat(missing.cause()).isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("missing.test").hasMessageContaining(hosts.toString());
  }
}
