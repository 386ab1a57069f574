package io.redial.testing;

import io.redial.ConnectionEvent;
import io.redial.ConnectionListener;
import io.redial.ConnectionState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that records every event, for assertions on the sequence. */
public final class Recorder implements ConnectionListener {
  private final List<ConnectionEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void onEvent(ConnectionEvent event) {
    events.add(event);
  }

  public List<ConnectionEvent> events() {
    return List.copyOf(events);
  }

  public List<ConnectionEvent.StateChanged> transitions() {
    return events.stream()
        .filter(ConnectionEvent.StateChanged.class::isInstance)
        .map(ConnectionEvent.StateChanged.class::cast)
        .toList();
  }

  /** The states entered, in order. */
  public List<ConnectionState> states() {
    return transitions().stream().map(ConnectionEvent.StateChanged::to).toList();
  }

  public <T extends ConnectionEvent> List<T> of(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
