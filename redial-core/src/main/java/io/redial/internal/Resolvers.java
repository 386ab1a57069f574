package io.redial.internal;

import io.netty.channel.EventLoop;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.HostsFileEntriesProvider;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.NameResolver;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Redial's name resolution: non-blocking DNS on the connection's own event loop, with Netty's
 * resolver ({@code netty-resolver-dns}).
 *
 * <p>The default group reads the name servers, search domains and {@code ndots} from
 * {@code /etc/resolv.conf} and answers from {@code /etc/hosts} first (Netty's defaults), keeps an
 * answer no longer than {@link #MAX_TTL_SECONDS} whatever its TTL says (so a moved server is
 * followed soon even behind a long TTL), and a failure for {@link #NEGATIVE_TTL_SECONDS}. When
 * the JVM runs with {@code -Djdk.net.hosts.file=FILE}, names come from that file only, as the
 * JDK's own resolver does then: no DNS query at all (Redial's tests run so).
 */
public final class Resolvers {
  /** The longest an answer is kept, whatever its TTL. */
  public static final int MAX_TTL_SECONDS = 60;
  /** How long a failed lookup (NXDOMAIN, no answer) is remembered. */
  public static final int NEGATIVE_TTL_SECONDS = 2;

  private Resolvers() {}

  /** The group used when a connection has no {@code resolver(...)} of its own. */
  public static AddressResolverGroup<InetSocketAddress> defaultGroup() {
    return Default.GROUP;
  }

  /**
   * Redial's DNS group asking {@code servers}: the TTL cap and negative cache above, the datagram
   * channel fitting each event loop (epoll or NIO), hosts file first.
   */
  public static AddressResolverGroup<InetSocketAddress> dns(
      DnsServerAddressStreamProvider servers) {
    DnsNameResolverBuilder builder = new DnsNameResolverBuilder()
        .datagramChannelType(NioDatagramChannel.class)
        .nameServerProvider(servers)
        .ttl(0, MAX_TTL_SECONDS)
        .negativeTtl(NEGATIVE_TTL_SECONDS);
    return new DnsAddressResolverGroup(builder) {
      @Override
      protected NameResolver<InetAddress> newNameResolver(EventLoop loop,
          io.netty.channel.ChannelFactory<? extends DatagramChannel> channels,
          DnsServerAddressStreamProvider nameServers) throws Exception {
        // one group serves NIO and epoll loops alike: the query channel must fit the loop
        return super.newNameResolver(loop,
            new ReflectiveChannelFactory<>(Transport.datagramChannelClass(loop)), nameServers);
      }

      @Override
      public String toString() {
        return "Redial's DNS resolver";
      }
    };
  }

  /** A group answering from a hosts file only, as the JDK does with jdk.net.hosts.file. */
  static AddressResolverGroup<InetSocketAddress> hostsFile(File file) {
    HostsFileEntriesProvider entries =
        HostsFileEntriesProvider.parser().parseSilently(file, StandardCharsets.UTF_8);
    return new AddressResolverGroup<>() {
      @Override
      protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new HostsFileResolver(executor, file, entries).asAddressResolver();
      }

      @Override
      public String toString() {
        return "hosts file " + file;
      }
    };
  }

  private static final class Default {
    static final AddressResolverGroup<InetSocketAddress> GROUP = create();

    private static AddressResolverGroup<InetSocketAddress> create() {
      String hosts = System.getProperty("jdk.net.hosts.file");
      if (hosts != null && !hosts.isBlank()) {
        EventLog.logger().info("names resolve from {} only (jdk.net.hosts.file)", hosts);
        return hostsFile(new File(hosts));
      }
      return dns(DnsServerAddressStreamProviders.platformDefault());
    }
  }

  /** Literal addresses, and names from one hosts file; every other name is unknown. */
  private static final class HostsFileResolver extends InetNameResolver {
    private final File file;
    private final HostsFileEntriesProvider entries;

    HostsFileResolver(EventExecutor executor, File file, HostsFileEntriesProvider entries) {
      super(executor);
      this.file = file;
      this.entries = entries;
    }

    @Override
    protected void doResolve(String host, Promise<InetAddress> promise) {
      List<InetAddress> all = lookup(host);
      if (all.isEmpty()) {
        promise.setFailure(unknown(host));
      } else {
        promise.setSuccess(all.get(0));
      }
    }

    @Override
    protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
      List<InetAddress> all = lookup(host);
      if (all.isEmpty()) {
        promise.setFailure(unknown(host));
      } else {
        promise.setSuccess(all);
      }
    }

    private UnknownHostException unknown(String host) {
      return new UnknownHostException(host + ": not in " + file + " (jdk.net.hosts.file)");
    }

    private List<InetAddress> lookup(String host) {
      byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
      if (literal != null) {
        try {
          return List.of(InetAddress.getByAddress(host, literal));
        } catch (UnknownHostException e) {
          return List.of(); // not reached: the length is 4 or 16
        }
      }
      String key = host.toLowerCase(Locale.ROOT);
      if (key.endsWith(".")) {
        key = key.substring(0, key.length() - 1);
      }
      boolean v6First = NetUtil.isIpV6AddressesPreferred();
      List<InetAddress> out = new ArrayList<>(2);
      add(out, v6First ? entries.ipv6Entries() : entries.ipv4Entries(), key);
      add(out, v6First ? entries.ipv4Entries() : entries.ipv6Entries(), key);
      return out;
    }

    private static void add(List<InetAddress> out, Map<String, List<InetAddress>> map,
        String key) {
      List<InetAddress> found = map.get(key);
      if (found != null) {
        out.addAll(found);
      }
    }
  }
}
