package io.tickerplant.app.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortsTest {

    @Test
    void zeroResolvesToAFreePort() {
        int port = Ports.resolve(0, "x.port");
        assertThat(port).isPositive();
        assertThat(Ports.isFree(port)).isTrue();
    }

    @Test
    void aBusyBrokerPortFailsBeforeAnythingStartsNamingTheSetting(@TempDir Path dir) throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName(Ports.LOOPBACK))) {
            int port = busy.getLocalPort();
            assertThatThrownBy(() -> EmbeddedKafkaBroker.builder(dir).port(port).start())
                    .isInstanceOf(Ports.PortInUseException.class)
                    .hasMessage("port " + port + " is in use: set kafka.port (--kafka-port) to a free port (0 picks one)");
            assertThatThrownBy(() -> EmbeddedConnectWorker.builder("127.0.0.1:1", dir).port(port).start())
                    .isInstanceOf(Ports.PortInUseException.class)
                    .hasMessageContaining("set connect.port (--connect-port)");
        }
        assertThat(dir.resolve("meta.properties")).doesNotExist();
    }
}
