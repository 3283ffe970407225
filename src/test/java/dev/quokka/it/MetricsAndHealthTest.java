package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /q/metrics reads the counters INFO prints; the three health endpoints answer with their reasons. */
@QuarkusTest
class MetricsAndHealthTest extends QuokkaTest {
    private static String metrics() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(metrics);
        assertTrue(m.find(), series + " in\n" + metrics.lines().filter(l -> l.startsWith("quokka")).toList());
        return Double.parseDouble(m.group(1));
    }

    @Test
    void metricsReadTheSameCountersAsInfo() throws Exception {
        call("SET", "m1", "v");
        call("SET", "m2", "v", "EX", "100");
        call("GET", "m1");
        call("GET", "nope");
        call("INCR", "m1"); // an error reply
        String m = metrics();
        assertEquals(2.0, value(m, "quokka_db_keys{db=\"db0\"}"));
        assertEquals(1.0, value(m, "quokka_db_keys_expiring{db=\"db0\"}"));
        assertEquals(info("keyspace_hits"), (long) value(m, "quokka_keyspace_hits_total"));
        assertEquals(info("keyspace_misses"), (long) value(m, "quokka_keyspace_misses_total"));
        // used_memory counts the clients' buffers, which hold INFO's own request while it runs: what
        // is not the clients' is the same number in both.
        assertEquals(info("used_memory") - info("mem_clients_normal"),
            (long) (value(m, "quokka_memory_used_bytes") - value(m, "quokka_memory_clients_bytes")));
        assertTrue(value(m, "quokka_commands_total{cmd=\"set\"}") >= 2);
        assertTrue(value(m, "quokka_commands_failed_total{cmd=\"incr\"}") >= 1);
        assertTrue(value(m, "quokka_commands_processed_total") >= 5);
        assertTrue(value(m, "quokka_connected_clients") >= 1);
        assertTrue(value(m, "quokka_net_input_bytes_total") > 0);
        // The per-command histogram: cumulative buckets ending at the count.
        double count = value(m, "quokka_command_duration_seconds_count{cmd=\"set\"}");
        assertTrue(count >= 2);
        assertEquals(count, value(m, "quokka_command_duration_seconds_bucket{cmd=\"set\",le=\"+Inf\"}"));
        assertTrue(value(m, "quokka_command_duration_seconds_sum{cmd=\"set\"}") > 0);
        assertTrue(m.contains("# TYPE quokka_command_duration_seconds histogram"));
        assertEquals(1.0, value(m, "quokka_aof_last_write_status"));
        assertTrue(m.contains("quokka_aof_fsync_seconds_count"));
    }

    @Test
    void theDashboardAndTheChartsAlertsUseOnlyMetricsThatExist() throws Exception {
        call("SET", "d", "v"); // so that the command histogram has a series
        String m = metrics();
        assertTrue(servedNames(m, "docs/grafana/quokka-dashboard.json") > 20, "the dashboard's metric references");
        assertTrue(servedNames(m, "helm/quokka/templates/monitoring.yaml") >= 10, "the alerts' metric references");
    }

    /** Checks that every quokka_ name in the file is served; returns how many references there were. */
    private static int servedNames(String metrics, String file) throws java.io.IOException {
        Matcher names = Pattern.compile("quokka_[a-z_]+").matcher(java.nio.file.Files.readString(java.nio.file.Path.of(file)));
        int checked = 0;
        while (names.find()) {
            String name = names.group();
            assertTrue(Pattern.compile("(?m)^" + name + "[{ ]").matcher(metrics).find(), name + " (" + file + ") is not served");
            checked++;
        }
        return checked;
    }

    @Test
    void healthEndpointsSayWhy() {
        given().when().get("/q/health/live").then().statusCode(200)
            .body(containsString("keyspace context responsive"), containsString("no_op_micros"));
        given().when().get("/q/health/ready").then().statusCode(200)
            .body(containsString("accepting commands"), containsString("\"loading\": false"));
        given().when().get("/q/health/started").then().statusCode(200)
            .body(containsString("dataset loaded"), containsString("port"));
    }
}
