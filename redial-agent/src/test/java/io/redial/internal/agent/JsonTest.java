package io.redial.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void writesNestedObjectsArraysAndNumbersWithCommasInTheRightPlaces() {
    String json = new Json().beginObject()
        .member("a", "x")
        .member("n", 42)
        .name("o").beginObject().member("b", (String) null).endObject()
        .member("list", List.of("1", "2"))
        .member("empty", List.of())
        .endObject().toString();

    assertThat(json).isEqualTo(
        "{\"a\":\"x\",\"n\":42,\"o\":{\"b\":null},\"list\":[\"1\",\"2\"],\"empty\":[]}");
  }

  @Test
  void escapesQuotesBackslashesAndControlCharacters() {
    String json = new Json().beginObject()
        .member("s", "say \"hi\"\\ \n\t\r\u0001\u2028").endObject().toString();

    assertThat(json).isEqualTo("{\"s\":\"say \\\"hi\\\"\\\\ \\n\\t\\r\\u0001\\u2028\"}");
  }
}
