package io.tickerplant.app;

import io.tickerplant.app.config.PlatformConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void helpListsTheCommandsWithExamples() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("up", "demo", "config", "Examples:", "tickerplant demo");
    }

    @Test
    void everyConfigurationKeyIsAnOptionOfUpAndDemo() {
        assertThat(run("up", "--help")).isZero();
        PlatformConfig.keys().forEach(key -> assertThat(out.toString()).contains(key.cliOption()));
        assertThat(run("demo", "--help")).isZero();
        assertThat(out.toString()).contains("--kafka-port", "--connect-url");
    }

    @Test
    void configListsEffectiveValuesWithTheirOrigin() {
        assertThat(run("config", "--kafka-port", "0")).isZero();
        assertThat(out.toString()).contains("kafka.port = 0", "(from --kafka-port; default '9092')",
                "connect.port = 8083", "symbols = BTC-USDT,ETH-USDT");
    }

    @Test
    void aBadValueExitsWithStatusTwoAndAMessageNamingTheKey() {
        assertThat(run("config", "--kafka-port", "abc")).isEqualTo(Main.CONFIG_ERROR);
        assertThat(err.toString()).startsWith("tickerplant: invalid value 'abc' for kafka.port (from --kafka-port)");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertThat(run("up", "--kafka-prot", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("--kafka-prot");
    }
}
