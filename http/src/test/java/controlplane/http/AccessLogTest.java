package controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AccessLogTest extends HttpTestBase {

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @BeforeEach
  void capture() {
    appender.start();
    root.addAppender(appender);
  }

  @AfterEach
  void release() {
    root.detachAppender(appender);
  }

  @Test
  @DisplayName("one access line per request with method, path, status, duration and request id; "
    + "never the token or a password")
  void accessLine() {
    String token = token("sites:write credentials:rotate");
    HttpResponse<Buffer> enrol = await(request(HttpMethod.PUT, "/control-plane/" + SITE + "?access_token=" + token)
      .bearerTokenAuthentication(token)
      .putHeader("X-Request-Id", "enrol-1")
      .putHeader("Content-Type", "application/json")
      .sendBuffer(ControlPlaneEndpointsTest.enrolment().put("verify", false).toBuffer()));
    HttpResponse<Buffer> rotate = await(request(HttpMethod.POST, "/control-plane/" + SITE + "/credentials")
      .bearerTokenAuthentication(token)
      .putHeader("X-Request-Id", "rotate-1")
      .send());
    HttpResponse<Buffer> bad = await(request(HttpMethod.POST, "/control-plane/" + SITE + "/credentials")
      .bearerTokenAuthentication(token + "x")
      .putHeader("X-Request-Id", "bad-1")
      .send());

    assertThat(enrol.statusCode()).isEqualTo(200);
    assertThat(rotate.statusCode()).isEqualTo(200);
    assertThat(bad.statusCode()).isEqualTo(401);
    List<ILoggingEvent> events = List.copyOf(appender.list);
    List<String> access = events.stream().filter(e -> e.getLoggerName().equals("access"))
      .map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(access).anySatisfy(line -> assertThat(line)
      .startsWith("PUT /control-plane/" + SITE + " 200 ").contains("ms").contains("request_id=enrol-1"));
    assertThat(access).anySatisfy(line -> assertThat(line)
      .startsWith("POST /control-plane/" + SITE + "/credentials 200 ").contains("request_id=rotate-1"));
    assertThat(access).anySatisfy(line -> assertThat(line).contains(" 401 ").contains("request_id=bad-1"));
    for (ILoggingEvent event : events) {
      assertThat(event.getFormattedMessage())
        .doesNotContain(token)
        .doesNotContain(token.split("\\.")[2])
        .doesNotContain("bootstrap-Pa55")
        .doesNotContain(ScriptedCore.SECRET_PASSWORD);
    }
  }
}
