package io.redial.cli.attach;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Properties;

/** Loads the agent into a running JVM through jdk.attach, with messages a person can act on. */
public final class Attacher {
  /** Oldest Java the agent runs on. */
  static final int MIN_JAVA = 17;

  /** What went wrong, said plainly. */
  public static final class AttachFailure extends Exception {
    private static final long serialVersionUID = 1L;

    AttachFailure(String message) {
      super(message);
    }
  }

  /** The target's Java, for the first line of output. */
  public record Target(String javaVersion, String vmName) {}

  private Attacher() {}

  /** Attaches to {@code pid}, checks its Java, loads {@code agentJar} with {@code options}. */
  public static Target load(long pid, Path agentJar, String options) throws AttachFailure {
    if (pid == ProcessHandle.current().pid()) {
      throw new AttachFailure("process " + pid + " is this redial command itself");
    }
    if (ProcessHandle.of(pid).isEmpty()) {
      throw new AttachFailure("no process " + pid + " is running");
    }
    VirtualMachine vm;
    try {
      vm = VirtualMachine.attach(Long.toString(pid));
    } catch (AttachNotSupportedException e) {
      throw new AttachFailure("process " + pid + " refuses attach: " + e.getMessage()
          + ". It must be a JVM (Java " + MIN_JAVA + " or later) run by the same user, without"
          + " -XX:+DisableAttachMechanism.");
    } catch (IOException e) {
      throw new AttachFailure("cannot attach to process " + pid + ": " + e.getMessage()
          + ". Is it a JVM run by the same user (or in another container)?");
    }
    try {
      Properties p = vm.getSystemProperties();
      String version = p.getProperty("java.specification.version", "?");
      String vmName = p.getProperty("java.vm.name", "?");
      Target target = new Target(p.getProperty("java.version", version), vmName);
      if (feature(version) < MIN_JAVA) {
        throw new AttachFailure("process " + pid + " runs Java " + target.javaVersion() + " ("
            + vmName + "); the agent needs Java " + MIN_JAVA + " or later");
      }
      vm.loadAgent(agentJar.toString(), options);
      return target;
    } catch (AgentLoadException e) {
      throw new AttachFailure("process " + pid + " could not load " + agentJar + ": "
          + e.getMessage() + ". A JVM of another family (or one without java.instrument)"
          + " cannot take the agent.");
    } catch (AgentInitializationException e) {
      throw new AttachFailure("the agent failed to start in process " + pid + " (status "
          + e.returnValue() + "); its stderr says why");
    } catch (IOException e) {
      throw new AttachFailure("process " + pid + " stopped answering during the attach: "
          + e.getMessage());
    } finally {
      try {
        vm.detach();
      } catch (IOException e) {
        // The agent is loaded or not; detaching the tool's connection cannot change that.
      }
    }
  }

  /** {@code 17} from "17", {@code 8} from "1.8". */
  static int feature(String specVersion) {
    try {
      String v = specVersion.startsWith("1.") ? specVersion.substring(2) : specVersion;
      int dot = v.indexOf('.');
      return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
    } catch (RuntimeException e) {
      return Integer.MAX_VALUE; // unknown: let loadAgent decide
    }
  }
}
