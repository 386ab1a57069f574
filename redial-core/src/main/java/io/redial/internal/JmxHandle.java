package io.redial.internal;

import io.redial.ConnectionEvent;
import io.redial.ConnectionListener;
import io.redial.ConnectionMXBean;
import io.redial.ConnectionState;
import io.redial.MessageConnection;
import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * A connection's MBean on the platform MBean server ({@code jmx()} on the builder): registered
 * when the connection is built, unregistered when it reaches CLOSED (a listener of its own). Reads
 * only what any thread may read without waiting: {@code state()}, {@code generation()},
 * {@code stats()}.
 */
public final class JmxHandle implements ConnectionMXBean, ConnectionListener {
  /** The ObjectName's domain and type; the name key is the connection's. */
  static final String PREFIX = "io.redial:type=Connection,name=";

  private final MessageConnection<?> connection;
  private final ObjectName objectName;
  private final MBeanServer server;

  private JmxHandle(MessageConnection<?> connection, ObjectName objectName, MBeanServer server) {
    this.connection = connection;
    this.objectName = objectName;
    this.server = server;
  }

  /**
   * Registers {@code connection}'s MBean on the platform server.
   *
   * @throws IllegalStateException when an MBean of that name is registered already
   */
  public static ObjectName register(MessageConnection<?> connection) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = objectName(connection.name());
    JmxHandle handle = new JmxHandle(connection, name, server);
    try {
      server.registerMBean(new StandardMBean(handle, ConnectionMXBean.class, true), name);
    } catch (InstanceAlreadyExistsException e) {
      throw new IllegalStateException("jmx: the MBean name '" + name + "' of connection '"
          + connection.name() + "' is registered already (another open connection of that name"
          + " with jmx() on?); names must be unique among the JVM's connections that use jmx()",
          e);
    } catch (JMException e) {
      throw new IllegalStateException("jmx: could not register '" + name + "': " + e, e);
    }
    connection.addListener(handle);
    return name;
  }

  /**
   * {@code io.redial:type=Connection,name=<name>}, the name quoted when it holds a character that
   * an ObjectName value may not (comma, equals, colon, quote, asterisk, question mark, newline).
   */
  public static ObjectName objectName(String connectionName) {
    try {
      ObjectName plain = plain(connectionName);
      if (plain != null && !plain.isPattern()
          && connectionName.equals(plain.getKeyProperty("name"))) {
        return plain;
      }
      return new ObjectName(PREFIX + ObjectName.quote(connectionName));
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException("jmx: no MBean name can be made of connection name '"
          + connectionName + "': " + e.getMessage(), e);
    }
  }

  private static ObjectName plain(String connectionName) {
    try {
      return new ObjectName(PREFIX + connectionName);
    } catch (MalformedObjectNameException e) {
      return null; // it needs quotes
    }
  }

  /** Unregisters the MBean once the connection is CLOSED (event loop). */
  @Override
  public void onEvent(ConnectionEvent event) {
    if (event instanceof ConnectionEvent.StateChanged sc && sc.to() == ConnectionState.CLOSED) {
      try {
        server.unregisterMBean(objectName);
      } catch (InstanceNotFoundException e) {
        // unregistered by someone else already: nothing left to do
      } catch (JMException e) {
        EventLog.logger().atWarn().addKeyValue("connection", connection.name()).setCause(e)
            .log("[{}] could not unregister MBean {}", connection.name(), objectName);
      }
    }
  }

  @Override
  public String getName() {
    return connection.name();
  }

  @Override
  public String getState() {
    return connection.state().name();
  }

  @Override
  public long getGeneration() {
    return connection.generation();
  }

  @Override
  public long getAttempts() {
    return connection.stats().attempts();
  }

  @Override
  public long getConnects() {
    return connection.stats().connects();
  }

  @Override
  public long getDisconnects() {
    return connection.stats().disconnects();
  }

  @Override
  public long getMessagesSent() {
    return connection.stats().framesSent();
  }

  @Override
  public long getMessagesReceived() {
    return connection.stats().framesReceived();
  }

  @Override
  public long getBytesSent() {
    return connection.stats().bytesSent();
  }

  @Override
  public long getBytesReceived() {
    return connection.stats().bytesReceived();
  }

  @Override
  public int getQueuedMessages() {
    return connection.stats().queuedFrames();
  }

  @Override
  public long getQueuedBytes() {
    return connection.stats().queuedBytes();
  }

  @Override
  public void reconnect() {
    connection.reconnect();
  }

  @Override
  public void resetBackoff() {
    connection.resetBackoff();
  }

  @Override
  public String toString() {
    return "JmxHandle[" + objectName + "]";
  }
}
