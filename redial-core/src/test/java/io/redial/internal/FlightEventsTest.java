package io.redial.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import jdk.jfr.Configuration;
import jdk.jfr.EventType;
import jdk.jfr.Recording;
import jdk.jfr.SettingDescriptor;
import org.junit.jupiter.api.Test;

/** The JFR event types: names, category, enabled with no threshold, no stack trace. */
class FlightEventsTest {
  @Test
  void everyEventIsEnabledByDefaultWithoutAThreshold() throws Exception {
    List<Class<? extends jdk.jfr.Event>> classes = List.of(FlightEvents.ConnectAttempt.class,
        FlightEvents.StateChange.class, FlightEvents.HeartbeatMissed.class,
        FlightEvents.RequestTimeout.class);
    try (Recording r = new Recording(Configuration.getConfiguration("default"))) {
      r.start(); // isEnabled() is true only while a recording runs
      for (Class<? extends jdk.jfr.Event> c : classes) {
        EventType t = EventType.getEventType(c);
        assertThat(t.getName()).isEqualTo("io.redial." + c.getSimpleName());
        assertThat(t.isEnabled()).as(t.getName()).isTrue();
        assertThat(t.getCategoryNames()).as(t.getName()).containsExactly("Redial");
        assertThat(t.getSettingDescriptors()).as(t.getName())
            .filteredOn(s -> s.getName().equals("threshold"))
            .extracting(SettingDescriptor::getDefaultValue)
            .allMatch("0 ns"::equals);
        assertThat(t.getSettingDescriptors()).as(t.getName())
            .filteredOn(s -> s.getName().equals("stackTrace"))
            .extracting(SettingDescriptor::getDefaultValue).containsExactly("false");
      }
    }
  }
}
