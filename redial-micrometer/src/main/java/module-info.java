/**
 * Micrometer meters for Redial connections: {@link io.redial.micrometer.RedialMetrics}.
 *
 * <p>Micrometer ships as an automatic module ({@code micrometer.core}); its types are part of this
 * module's API (a {@code MeterBinder}), hence the transitive requirement.
 */
@SuppressWarnings("requires-transitive-automatic")
module io.redial.micrometer {
  requires transitive io.redial;
  requires transitive micrometer.core;

  exports io.redial.micrometer;
}
